namespace NetGen.Generator.Tests;

/// <summary>[Input] is read wherever it stands among the attributes; the layers keep their source order among themselves.</summary>
public class AttributeOrderTests
{
    private const string InputFirst = """
        using NetGen;

        namespace Samples;

        /// <summary>Wine.</summary>
        [Network(Loss = Loss.CrossEntropy)]
        [Input(13)]
        [Dense(16, Activation.ReLU)]
        [Dense(3, Activation.Softmax)]
        public partial class WineNet;
        """;

    [Theory]
    [InlineData("[Dense(16, Activation.ReLU)]\n[Input(13)]\n[Dense(3, Activation.Softmax)]")]
    [InlineData("[Dense(16, Activation.ReLU)]\n[Dense(3, Activation.Softmax)]\n[Input(13)]")]
    [InlineData("[Dense(16, Activation.ReLU), Input(13)]\n[Dense(3, Activation.Softmax)]")]
    public void InputBelowALayerGivesTheSameNetwork(string attributes)
    {
        string moved = InputFirst.Replace("[Input(13)]\n[Dense(16, Activation.ReLU)]\n[Dense(3, Activation.Softmax)]", attributes, StringComparison.Ordinal);
        Assert.NotEqual(InputFirst, moved);

        GeneratorRun expected = GeneratorHarness.Run(InputFirst);
        GeneratorRun run = GeneratorHarness.Run(moved);

        run.AssertCleanCompilation();
        Assert.Equal(expected.Source("Samples.WineNet.g.cs"), run.Source("Samples.WineNet.g.cs"));
        Assert.Contains("public const int ParameterCount = 275;", run.Source("Samples.WineNet.g.cs"), StringComparison.Ordinal);
    }
}
