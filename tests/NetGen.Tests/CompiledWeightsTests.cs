namespace NetGen.Tests;

/// <summary>XorNet's shape, starting from the trained parameters of Fixtures/xor.weights, compiled in.</summary>
[Network(Loss = Loss.MeanSquaredError, Weights = "xor.weights")]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class CompiledXorNet;

/// <summary>
/// Fixtures/xor.weights was written by CompiledWeightsFile.Save after training XorNet for 2000 full-batch epochs at
/// learning rate 2 from its seed-0 initialization (the README's recipe).
/// </summary>
public class CompiledWeightsTests
{
    private static readonly string FixturePath = Path.Combine(AppContext.BaseDirectory, "Fixtures", "xor.weights");

    [Fact]
    public void Compiled_in_weights_are_bitwise_the_loaded_file()
    {
        var loaded = new XorNet();
        CompiledWeightsFile.Load(loaded, FixturePath);
        var compiled = new CompiledXorNet();
        Assert.Equal(loaded.Parameters, compiled.Parameters);

        var a = new float[1];
        var b = new float[1];
        foreach (float[] input in new[] { new[] { 0f, 0f }, new[] { 0f, 1f }, new[] { 1f, 0f }, new[] { 1f, 1f }, new[] { 0.3f, 0.8f } })
        {
            loaded.Predict(input, a);
            compiled.Predict(input, b);
            Assert.Equal(BitConverter.SingleToInt32Bits(a[0]), BitConverter.SingleToInt32Bits(b[0]));
        }
    }

    [Fact]
    public void The_compiled_network_computes_XOR_without_loading_anything()
    {
        var net = new CompiledXorNet();
        var output = new float[1];
        float[][] inputs = [[0, 0], [0, 1], [1, 0], [1, 1]];
        float[] expected = [0, 1, 1, 0];
        for (int i = 0; i < 4; i++)
        {
            net.Predict(inputs[i], output);
            Assert.Equal(expected[i], output[0] >= 0.5f ? 1f : 0f);
        }
    }

    [Fact]
    public void The_text_file_round_trips_and_refuses_another_shape()
    {
        string path = Path.Combine(Path.GetTempPath(), $"netgen-{Guid.NewGuid():N}.weights");
        try
        {
            var net = new XorNet();
            net.InitializeParameters(77);
            CompiledWeightsFile.Save(net, path);
            Assert.StartsWith(CompiledWeightsFile.Header + "\n", File.ReadAllText(path));
            var copy = new XorNet();
            CompiledWeightsFile.Load(copy, path);
            Assert.Equal(net.Parameters, copy.Parameters);

            var other = new U2SigmoidIdentityMse();
            float[] before = other.Parameters.ToArray();
            Assert.Throws<NetworkFileException>(() => CompiledWeightsFile.Load(other, path));
            Assert.Equal(before, other.Parameters);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
