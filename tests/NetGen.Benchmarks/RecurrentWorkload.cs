namespace NetGen.Benchmarks;

/// <summary>
/// The constants and data of W6 (the recurrent benchmarks): the parameters every implementation shares, the input
/// sequences and the regression targets.
/// </summary>
public static class RecurrentWorkload
{
    /// <summary>The training batch size.</summary>
    public const int BatchSize = 64;

    /// <summary>Adam's learning rate.</summary>
    public const float LearningRate = 1e-3f;

    /// <summary>The number of training sequences (16 batches, taken in order).</summary>
    public const int SampleCount = 16 * BatchSize;

    /// <summary>
    /// Parameter <paramref name="index"/> of the flat vector of a network of <paramref name="size"/> units:
    /// sin(0.731 i + 0.3) / sqrt(size), the formula make_recurrent_onnx.py writes into the ONNX models.
    /// </summary>
    public static float Parameter(int index, int size) => (float)(Math.Sin(0.731 * index + 0.3) / Math.Sqrt(size));

    /// <summary>Sets every parameter by <see cref="Parameter"/>.</summary>
    public static void FillParameters(Span<float> parameters, int size)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = Parameter(i, size);
        }
    }

    /// <summary><paramref name="count"/> sequences (also as the flat arrays <paramref name="features"/> and <paramref name="targets"/>) of 28 steps of <paramref name="size"/> features, uniform in [-1, 1), and one target each, uniform in [-1, 1).</summary>
    public static DataSet Sequences(int count, int size, out float[] features, out float[] targets)
    {
        var random = new DeterministicRandom(Workloads.Seed);
        features = new float[count * RecurrentRunner.Steps * size];
        targets = new float[count];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = 2f * random.NextSingle() - 1f;
        }
        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = 2f * random.NextSingle() - 1f;
        }
        return new DataSet(features, targets, RecurrentRunner.Steps * size, 1);
    }

    /// <summary>The ONNX model make_recurrent_onnx.py wrote: <c>{cell}{size}_{kind}.onnx</c>, kind "sequence" or "step".</summary>
    public static byte[] OnnxModel(string cell, int size, string kind)
        => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "models", $"{cell.ToLowerInvariant()}{size}_{kind}.onnx"));
}
