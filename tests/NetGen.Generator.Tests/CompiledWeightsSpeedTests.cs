using System.Diagnostics;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// What compiling weights in costs a build, for a network of about 100,000 parameters: the generator's run plus the
/// compilation (emit) of everything it generated, with the weights compiled in against without them. The difference
/// is what every build of a project with compiled-in weights pays. Printed; the assertion leaves room for a slow,
/// shared machine (the byte-array initializer this replaced cost about 6 s here).
/// </summary>
/// <remarks>
/// For the figures: <c>dotnet test tests/NetGen.Generator.Tests -c Release --filter FullyQualifiedName~CompiledWeightsSpeedTests --logger "console;verbosity=detailed"</c>
/// </remarks>
public class CompiledWeightsSpeedTests(ITestOutputHelper output)
{
    private const int Runs = 3;

    internal const string LargeNetwork = """
        using NetGen;

        namespace Speed;

        /// <summary>About 100,000 parameters.</summary>
        [Network(Loss = Loss.CrossEntropy)]
        [Input(250)]
        [Dense(384, Activation.ReLU)]
        [Dense(10, Activation.Softmax)]
        public partial class LargeNet;
        """;

    internal const string LargeNetworkParameterCount = "100234";

    internal static string WithWeights(string declaration, string fileName)
        => declaration.Replace("[Network(Loss = Loss.CrossEntropy)]", $"[Network(Loss = Loss.CrossEntropy, Weights = \"{fileName}\")]", StringComparison.Ordinal);

    /// <summary>The weights file text of LargeNet's initialization from seed 7, made once by the network itself.</summary>
    internal static readonly Lazy<string> s_largeWeights = new(() =>
    {
        GeneratorRun run = GeneratorHarness.Run(LargeNetwork);
        run.AssertGeneratorSilent();
        INetworkCalls network = ValidDeclarationTests.Load(run.OutputCompilation, new AssemblyLoadContext(nameof(CompiledWeightsSpeedTests), isCollectible: true), "Speed.LargeNet");
        float[] parameters = new float[network.ParameterCount];
        network.InitializeParameters(parameters, seed: 7);
        return network.WeightsFileText(parameters);
    });

    [Fact]
    public void HundredThousandParametersCompileInQuickly()
    {
        string weights = s_largeWeights.Value;
        var file = new InMemoryAdditionalText("/project/large.weights", weights);
        CSharpCompilation without = GeneratorHarness.CreateCompilation(LargeNetwork);
        CSharpCompilation with = GeneratorHarness.CreateCompilation(WithWeights(LargeNetwork, "large.weights"));

        Measure(without, file); // warms up the JIT for both paths
        Measure(with, file);
        var withoutTimes = new List<double>();
        var withTimes = new List<double>();
        for (int run = 0; run < Runs; run++)
        {
            withoutTimes.Add(Measure(without, file));
            withTimes.Add(Measure(with, file));
        }

        // The least of the runs: a load spike from another process only ever adds time, so the minimum is the cost itself.
        double extra = withTimes.Min() - withoutTimes.Min();
        output.WriteLine($"{LargeNetworkParameterCount} parameters ({weights.Length} characters of weights file), least of {Runs} runs on {Environment.ProcessorCount} cores:");
        output.WriteLine($"  generator + emit without compiled-in weights: {withoutTimes.Min(),8:F0} ms");
        output.WriteLine($"  generator + emit with compiled-in weights:    {withTimes.Min(),8:F0} ms");
        output.WriteLine($"  extra for the weights:                        {extra,8:F0} ms");
        Assert.True(extra < 1500, $"Compiling in {LargeNetworkParameterCount} parameters added {extra:F0} ms (aim: under 500 ms).");
    }

    /// <summary>Milliseconds for a fresh driver's run over <paramref name="compilation"/> and the emit of the result.</summary>
    private static double Measure(CSharpCompilation compilation, AdditionalText file)
    {
        // A fresh copy of the compilation: nothing bound from an earlier run.
        CSharpCompilation fresh = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(compilation.SyntaxTrees);
        long start = Stopwatch.GetTimestamp();
        GeneratorDriver driver = GeneratorHarness.CreateDriver(file).RunGeneratorsAndUpdateCompilation(fresh, out Compilation output, out var diagnostics);
        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        double elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        Assert.True(diagnostics.IsEmpty, GeneratorRun.Format(diagnostics));
        Assert.True(emitted.Success, GeneratorRun.Format(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return elapsed;
    }
}
