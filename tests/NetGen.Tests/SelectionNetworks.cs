using NetGen;

namespace NetGen.Tests;

/// <summary>A logistic regression on two inputs: a straight boundary, too simple for XOR (high bias there).</summary>
[Network(Loss = Loss.BinaryCrossEntropy)] [Input(2)] [Dense(1, Activation.Sigmoid)] public partial class LinearTwoInputNet;

/// <summary>One hidden layer on two inputs: enough for XOR and two moons.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)] [Input(2)] [Dense(8, Activation.Tanh)] [Dense(1, Activation.Sigmoid)] public partial class HiddenTwoInputNet;

/// <summary>A wide network on twenty inputs, which memorizes a few samples (high variance on random labels).</summary>
[Network(Loss = Loss.BinaryCrossEntropy)] [Input(20)] [Dense(64, Activation.Tanh)] [Dense(1, Activation.Sigmoid)] public partial class WideTwentyInputNet;

/// <summary>Data sets built to show each diagnosis.</summary>
internal static class SelectionData
{
    /// <summary>Noisy XOR: four blobs at (+-1, +-1); class 1 where the signs differ. No straight line separates it.</summary>
    public static DataSet NoisyXor(int count, int seed)
    {
        var random = new DeterministicRandom(seed);
        var features = new float[count * 2];
        var targets = new float[count];
        for (int i = 0; i < count; i++)
        {
            int a = random.NextInt32(2), b = random.NextInt32(2);
            features[2 * i] = (2 * a - 1) + 0.25f * random.NextGaussian();
            features[2 * i + 1] = (2 * b - 1) + 0.25f * random.NextGaussian();
            targets[i] = a ^ b;
        }
        return new DataSet(features, targets, 2, 1);
    }

    /// <summary>Two well separated blobs: a straight line splits them, so a logistic regression does fine.</summary>
    public static DataSet SeparableBlobs(int count, int seed)
    {
        var random = new DeterministicRandom(seed);
        var features = new float[count * 2];
        var targets = new float[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 2;
            features[2 * i] = (2 * label - 1) * 2f + 0.4f * random.NextGaussian();
            features[2 * i + 1] = 0.4f * random.NextGaussian();
            targets[i] = label;
        }
        return new DataSet(features, targets, 2, 1);
    }

    /// <summary>Twenty features of noise and labels at random: nothing to learn, everything to memorize.</summary>
    public static DataSet RandomLabels(int count, int seed)
    {
        var random = new DeterministicRandom(seed);
        var features = new float[count * 20];
        var targets = new float[count];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = random.NextGaussian();
        }
        for (int i = 0; i < count; i++)
        {
            targets[i] = i % 2;
        }
        return new DataSet(features, targets, 20, 1);
    }

    /// <summary>Labels 0, 1, 2 in proportions 6:3:1 as one-hot rows, with one noise feature.</summary>
    public static DataSet Unbalanced(int count, int seed)
    {
        var random = new DeterministicRandom(seed);
        var features = new float[count];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            features[i] = random.NextSingle();
            labels[i] = (i % 10) switch { < 6 => 0, < 9 => 1, _ => 2 };
        }
        return new DataSet(features, DataSet.OneHot(labels, 3), 1, 3);
    }
}
