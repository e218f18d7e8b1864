namespace NetGen.Tests;

/// <summary>XorNet's shape with Fixtures/xor-standardized.weights compiled in: its parameters and a standardizer.</summary>
[Network(Loss = Loss.MeanSquaredError, Weights = "xor-standardized.weights")]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class CompiledStandardizedXorNet;

/// <summary>
/// Compiled-in weights carry the preprocessing saved with them. Fixtures/xor-standardized.weights was built by hand
/// (in Python, from docs/file-format.md) from Fixtures/xor.weights and a standardizer of means (0.5, -1.25) and
/// deviations (2, 0.25), so these tests also check that the documented layout is the one NetGen writes and reads.
/// </summary>
public sealed class CompiledPreprocessingTests
{
    private static readonly string FixturePath = Path.Combine(AppContext.BaseDirectory, "Fixtures", "xor-standardized.weights");
    private static readonly Standardizer Expected = new([0.5f, -1.25f], [2f, 0.25f]);

    [Fact]
    public void The_documented_layout_is_what_NetGen_writes()
    {
        var net = new XorNet();
        CompiledWeightsFile.Load(net, Path.Combine(AppContext.BaseDirectory, "Fixtures", "xor.weights"));
        Assert.Equal(File.ReadAllText(FixturePath), CompiledWeightsFile.ToText(net, new Preprocessing(Expected)));
    }

    [Fact]
    public void The_generated_network_exposes_the_compiled_in_standardizer_bit_for_bit()
    {
        var loaded = new XorNet();
        Standardizer fromFile = CompiledWeightsFile.Load(loaded, FixturePath).Standardizer!;
        Standardizer compiled = CompiledStandardizedXorNet.CompiledPreprocessing.Standardizer!;
        Assert.Equal(fromFile.Mean.Select(BitConverter.SingleToInt32Bits), compiled.Mean.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(fromFile.StandardDeviation.Select(BitConverter.SingleToInt32Bits), compiled.StandardDeviation.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(Expected.Mean, compiled.Mean);
        Assert.Equal(loaded.Parameters, new CompiledStandardizedXorNet().Parameters);
        Assert.Same(CompiledStandardizedXorNet.CompiledPreprocessing, CompiledStandardizedXorNet.CompiledPreprocessing);
    }

    [Fact]
    public void A_weights_file_without_preprocessing_compiles_in_as_none()
        => Assert.Same(Preprocessing.None, CompiledXorNet.CompiledPreprocessing);
}
