namespace NetGen.Generator.Tests;

/// <summary>
/// The batch backward pass of an unrolled dense layer: when the layer's weights and biases are few enough to stay in
/// registers (DenseLayerEmitter.RegisterGradientLimit), their sums over the samples are kept in locals and stored once;
/// otherwise each sample's gradient is added into the buffer. The runtime tests check that both give the same bits as
/// the per-sample pass.
/// </summary>
public class RegisterGradientTests
{
    private static string Generate(string layers)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;
            [Network(Loss = Loss.MeanSquaredError)]
            {{layers}}
            public partial class N;
            """);
        return Assert.Single(run.GeneratedSources).SourceText.ToString();
    }

    private static string Method(string source, string name)
    {
        int start = source.IndexOf($"internal static void {name}(", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{name} is not generated");
        int end = source.IndexOf("internal static", start + 1, StringComparison.Ordinal);
        return source[start..end];
    }

    [Fact]
    public void A_small_layer_sums_its_gradient_over_the_samples_in_locals()
    {
        string source = Generate("[Input(2)] [Dense(4, Activation.Tanh)] [Dense(1, Activation.Sigmoid)]");

        // Layer 1: 8 weights and 4 biases; layer 2: 4 weights and 1 bias.
        string first = Method(source, "BackwardLayer1Batch");
        Assert.Contains("float gw7 = overwrite ? 0f : weightGradient[7];", first);
        Assert.Contains("gw7 += d3 * x1;", first);
        Assert.Contains("weightGradient[7] = gw7;", first);
        Assert.DoesNotContain(".Clear()", first);
        string second = Method(source, "BackwardLayer2Batch");
        Assert.Contains("biasGradient[0] = gb0;", second);
        Assert.Contains("inputGradient[3] = w[3] * d0;", second);
    }

    [Fact]
    public void A_layer_with_more_gradient_values_than_registers_adds_sample_by_sample()
    {
        // 16 weights and 4 biases: unrolled (at most DefaultUnrollThreshold weights), but 20 values are over the limit.
        string source = Generate("[Input(4)] [Dense(4, Activation.Tanh)] [Dense(1, Activation.Sigmoid)]");

        string first = Method(source, "BackwardLayer1Batch");
        Assert.DoesNotContain("float gw0", first);
        Assert.Contains("gradient.Slice(Layer1Weights, 16).Clear();", first);
        Assert.Contains("BackwardLayer1(parameters, inputs.Slice(s * 4, 4), deltas.Slice(s * 4, 4), gradient);", first);
        // Its output layer (4 weights, 1 bias) still fits.
        Assert.Contains("float gw3 = overwrite ? 0f : weightGradient[3];", Method(source, "BackwardLayer2Batch"));
    }
}
