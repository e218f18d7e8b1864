using System.Globalization;
using System.IO.Compression;
using NetGen;

namespace NetGen.Benchmarks;

/// <summary>The data and constants of the workloads W1..W4 (see README.md), shared by NetGen and every peer.</summary>
public static class Workloads
{
    /// <summary>The seed of the initial parameters and of the synthetic data: every implementation starts from the same numbers.</summary>
    public const int Seed = 42;

    /// <summary>W1: the learning rate of full-batch gradient descent on XOR.</summary>
    public const float XorLearningRate = 0.5f;

    /// <summary>W3: the learning rate of Adam.</summary>
    public const float MiniBatchLearningRate = 1e-3f;

    /// <summary>W3: the batch size.</summary>
    public const int MiniBatchSize = 64;

    /// <summary>W3: the number of synthetic samples (one MNIST training set; the last partial batch is not used).</summary>
    public const int MiniBatchSampleCount = 60_000;

    /// <summary>W4: the learning rate of per-sample SGD.</summary>
    public const float PerSampleLearningRate = 0.01f;

    /// <summary>W4: the number of samples of the digits (data/digits/digits.csv.gz).</summary>
    public const int DigitsSampleCount = 1_797;

    /// <summary>The 4 XOR samples.</summary>
    public static LabelledData Xor() => new(
        features: [0, 0, 0, 1, 1, 0, 1, 1],
        targets: [0, 1, 1, 0],
        labels: null,
        featureSize: 2,
        targetSize: 1);

    /// <summary>W3: inputs uniform in [0, 1), labels uniform in 0..9, targets one-hot.</summary>
    public static LabelledData MnistLike(int count) => Synthetic(count, 784, 10, static (ref DeterministicRandom r) => r.NextSingle());

    /// <summary>
    /// W4: the 1,797 UCI handwritten digits of data/digits (8x8 pixel counts 0..16, divided by 16, and a label 0..9 per
    /// line), copied next to the program by the project file.
    /// </summary>
    public static LabelledData Digits()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var features = new List<float>();
        var labels = new List<int>();
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            string[] fields = line.Split(',');
            if (fields.Length != 65)
            {
                throw new FormatException($"{path}: a line of {fields.Length} fields; expected 64 pixels and a label.");
            }
            for (int i = 0; i < 64; i++)
            {
                features.Add(int.Parse(fields[i], CultureInfo.InvariantCulture) / 16f);
            }
            labels.Add(int.Parse(fields[64], CultureInfo.InvariantCulture));
        }
        if (labels.Count != DigitsSampleCount)
        {
            throw new FormatException($"{path}: {labels.Count} digits; expected {DigitsSampleCount}.");
        }
        var targets = new float[labels.Count * 10];
        for (int s = 0; s < labels.Count; s++)
        {
            targets[s * 10 + labels[s]] = 1f;
        }
        return new LabelledData([.. features], targets, [.. labels], 64, 10);
    }

    /// <summary>W2: one input, uniform in [0, 1).</summary>
    public static float[] RandomInput(int size, int seed)
    {
        var random = new DeterministicRandom(seed);
        var input = new float[size];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = random.NextSingle();
        }
        return input;
    }

    private delegate float Draw(ref DeterministicRandom random);

    private static LabelledData Synthetic(int count, int featureSize, int classes, Draw draw)
    {
        var random = new DeterministicRandom(Seed);
        var features = new float[count * featureSize];
        var targets = new float[count * classes];
        var labels = new int[count];
        for (int s = 0; s < count; s++)
        {
            for (int i = 0; i < featureSize; i++)
            {
                features[s * featureSize + i] = draw(ref random);
            }
            labels[s] = random.NextInt32(classes);
            targets[s * classes + labels[s]] = 1f;
        }
        return new LabelledData(features, targets, labels, featureSize, classes);
    }
}

/// <summary>
/// One data set in the shapes each implementation takes: NetGen's <see cref="NetGen.DataSet"/> (flat, row-major),
/// one array per row for the plain C# peer, and class labels for the peers' cross-entropy (which take labels, not
/// one-hot rows).
/// </summary>
public sealed class LabelledData
{
    /// <summary>Wraps the flat arrays.</summary>
    public LabelledData(float[] features, float[] targets, int[]? labels, int featureSize, int targetSize)
    {
        Features = features;
        Targets = targets;
        Labels = labels;
        DataSet = new DataSet(features, targets, featureSize, targetSize);
        Count = DataSet.Count;
        FeatureRows = new float[Count][];
        TargetRows = new float[Count][];
        for (int s = 0; s < Count; s++)
        {
            FeatureRows[s] = features.AsSpan(s * featureSize, featureSize).ToArray();
            TargetRows[s] = targets.AsSpan(s * targetSize, targetSize).ToArray();
        }
    }

    /// <summary>Count rows of features, row-major.</summary>
    public float[] Features { get; }

    /// <summary>Count rows of targets (one-hot where there are labels), row-major.</summary>
    public float[] Targets { get; }

    /// <summary>The class of each sample, or null for regression targets (XOR).</summary>
    public int[]? Labels { get; }

    /// <summary>The same numbers as a NetGen data set.</summary>
    public DataSet DataSet { get; }

    /// <summary>The features, one array per sample (the plain C# peer).</summary>
    public float[][] FeatureRows { get; }

    /// <summary>The targets, one array per sample (the plain C# peer).</summary>
    public float[][] TargetRows { get; }

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>0, 1, ..., Count - 1.</summary>
    public int[] Indices() => Enumerable.Range(0, Count).ToArray();
}

/// <summary>What the generated networks expose only through <see cref="INetwork{TSelf}"/>.</summary>
public static class NetworkInfo
{
    /// <summary>The loss <typeparamref name="TNetwork"/> is trained on.</summary>
    public static Loss LossOf<TNetwork>() where TNetwork : INetwork<TNetwork> => TNetwork.Loss;
}
