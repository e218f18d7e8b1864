using System.Text.Json;

namespace NetGen.Tests;

/// <summary>What the shaped-layer tests share: comparison with a reference to a relative tolerance, and fixture reading.</summary>
internal static class Reference
{
    internal static void AssertClose(double[] expected, float[] actual, string what, double relative = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Length == 0 ? 0 : expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = relative * Math.Max(Math.Abs(expected[i]), scale);
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance,
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (difference {Math.Abs(actual[i] - expected[i]):E2}, allowed {tolerance:E2})");
        }
    }

    internal static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    internal static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    internal static float[] RandomValues(Random random, int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}

/// <summary>A generated network of any shape, called through <see cref="INetwork{TSelf}"/>, for tests that run over several.</summary>
internal interface IShapedNetworkCase
{
    string Name { get; }
    int InputSize { get; }
    int OutputSize { get; }
    int ParameterCount { get; }
    float[] RandomParameters(int seed);
    float[] RandomTarget(Random random);
    void Predict(float[] parameters, ReadOnlySpan<float> input, Span<float> output);
    float AccumulateGradient(float[] parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradient);
    float AccumulateGradient(float[] parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradient, ref DeterministicRandom random);
    float ComputeBatchGradient(float[] parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> gradient, ref DeterministicRandom random);
    float SgdStep(float[] parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate, ref DeterministicRandom random);
}

internal sealed class ShapedNetworkCase<T> : IShapedNetworkCase where T : INetwork<T>
{
    public string Name => typeof(T).Name;
    public int InputSize => T.InputSize;
    public int OutputSize => T.OutputSize;
    public int ParameterCount => T.ParameterCount;

    public float[] RandomParameters(int seed)
    {
        var parameters = new float[T.ParameterCount];
        T.InitializeParameters(parameters, seed);
        // Biases away from zero too, so that no ReLU sits at its kink and every bias gradient is exercised.
        var random = new Random(seed);
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] += (float)(random.NextDouble() * 0.2 - 0.1);
        }
        return parameters;
    }

    public float[] RandomTarget(Random random)
    {
        var target = new float[T.OutputSize];
        if (T.Loss == Loss.CrossEntropy)
        {
            target[random.Next(T.OutputSize)] = 1f;
        }
        else
        {
            for (int i = 0; i < target.Length; i++)
            {
                target[i] = (float)random.NextDouble();
            }
        }
        return target;
    }

    public void Predict(float[] parameters, ReadOnlySpan<float> input, Span<float> output) => T.Predict(parameters, input, output);

    public float AccumulateGradient(float[] parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradient)
        => T.AccumulateGradient(parameters, input, target, gradient);

    public float AccumulateGradient(float[] parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradient, ref DeterministicRandom random)
        => T.AccumulateGradient(parameters, input, target, gradient, ref random);

    public float ComputeBatchGradient(float[] parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> gradient, ref DeterministicRandom random)
        => T.ComputeBatchGradient(parameters, inputs, targets, gradient, ref random);

    public float SgdStep(float[] parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate, ref DeterministicRandom random)
        => T.SgdStep(parameters, input, target, learningRate, ref random);
}
