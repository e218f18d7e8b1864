namespace NetGen;

/// <summary>
/// Samples for training or evaluation: each sample is a row of <see cref="FeatureSize"/> features and a row of
/// <see cref="TargetSize"/> targets, stored row-major in two flat arrays.
/// </summary>
public sealed partial class DataSet
{
    private readonly float[] _features;
    private readonly float[] _targets;
    private int _binaryTargets; // 0 until computed, then 1 (true) or 2 (false): one int, so threads never see half a value

    /// <summary>
    /// Wraps row-major features and targets. The arrays are used as they are, not copied: do not change them while the
    /// data set is in use (a data set is read as immutable, and keeps what it computes from them, such as <see cref="HasBinaryTargets"/>).
    /// </summary>
    /// <param name="features">Count rows of <paramref name="featureSize"/> values.</param>
    /// <param name="targets">Count rows of <paramref name="targetSize"/> values.</param>
    /// <param name="featureSize">The number of features per sample.</param>
    /// <param name="targetSize">The number of targets per sample.</param>
    /// <exception cref="ArgumentException">The lengths do not describe the same number of whole rows.</exception>
    public DataSet(float[] features, float[] targets, int featureSize, int targetSize)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetSize);
        if (features.Length % featureSize != 0)
        {
            throw new ArgumentException(
                $"The features hold {features.Length} values, which is not a whole number of rows of {featureSize}.", nameof(features));
        }
        int count = features.Length / featureSize;
        if (targets.Length != count * targetSize)
        {
            throw new ArgumentException(
                $"The targets hold {targets.Length} values; {count} samples of {targetSize} targets need {count * targetSize}.", nameof(targets));
        }
        _features = features;
        _targets = targets;
        FeatureSize = featureSize;
        TargetSize = targetSize;
        Count = count;
    }

    /// <summary>Builds a data set from one array per sample, copying the values.</summary>
    /// <exception cref="ArgumentException">The rows differ in length, or the two lists differ in count.</exception>
    public static DataSet FromRows(IReadOnlyList<float[]> features, IReadOnlyList<float[]> targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.Count == 0 || features.Count != targets.Count)
        {
            throw new ArgumentException(
                $"Expected one target row per feature row and at least one row; got {features.Count} feature rows and {targets.Count} target rows.");
        }
        int featureSize = features[0].Length, targetSize = targets[0].Length;
        var flatFeatures = new float[features.Count * featureSize];
        var flatTargets = new float[targets.Count * targetSize];
        for (int i = 0; i < features.Count; i++)
        {
            CopyRow(features[i], flatFeatures, i, featureSize, nameof(features));
            CopyRow(targets[i], flatTargets, i, targetSize, nameof(targets));
        }
        return new DataSet(flatFeatures, flatTargets, featureSize, targetSize);
    }

    private static void CopyRow(float[] row, float[] destination, int index, int size, string parameterName)
    {
        if (row.Length != size)
        {
            throw new ArgumentException($"Row {index} has {row.Length} values; expected {size} like row 0.", parameterName);
        }
        row.CopyTo(destination, index * size);
    }

    /// <summary>
    /// Splits the samples at random (with <paramref name="seed"/>) into two new data sets: the first holds
    /// round(<paramref name="firstFraction"/> x Count) samples, the second the rest. The values are copied.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1), or leaves one side empty.</exception>
    public (DataSet First, DataSet Second) Split(double firstFraction, int seed)
    {
        if (!(firstFraction > 0 && firstFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(firstFraction), firstFraction, "The fraction must be between 0 and 1.");
        }
        int firstCount = (int)Math.Round(firstFraction * Count);
        if (firstCount == 0 || firstCount == Count)
        {
            throw new ArgumentOutOfRangeException(nameof(firstFraction), firstFraction, $"A fraction of {firstFraction} of {Count} samples leaves one side empty.");
        }
        int[] order = new int[Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        var random = new DeterministicRandom(seed);
        random.Shuffle(order.AsSpan());
        return (Subset(order.AsSpan(0, firstCount)), Subset(order.AsSpan(firstCount)));
    }

    /// <summary>A new data set holding copies of the samples at <paramref name="indices"/>, in that order.</summary>
    public DataSet Subset(ReadOnlySpan<int> indices)
    {
        if (indices.IsEmpty)
        {
            throw new ArgumentException("A data set needs at least one sample.", nameof(indices));
        }
        var features = new float[indices.Length * FeatureSize];
        var targets = new float[indices.Length * TargetSize];
        for (int i = 0; i < indices.Length; i++)
        {
            GetFeatures(indices[i]).CopyTo(features.AsSpan(i * FeatureSize));
            GetTargets(indices[i]).CopyTo(targets.AsSpan(i * TargetSize));
        }
        return new DataSet(features, targets, FeatureSize, TargetSize);
    }

    /// <summary>One-hot rows for class labels: row i has a 1 at column labels[i] and 0 elsewhere.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label is negative or not less than <paramref name="classCount"/>.</exception>
    public static float[] OneHot(ReadOnlySpan<int> labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        var rows = new float[labels.Length * classCount];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"Label {i} is {labels[i]}; labels must be in [0, {classCount}).");
            }
            rows[i * classCount + labels[i]] = 1f;
        }
        return rows;
    }

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>The number of features per sample.</summary>
    public int FeatureSize { get; }

    /// <summary>The number of targets per sample.</summary>
    public int TargetSize { get; }

    /// <summary>The features of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> GetFeatures(int index) => _features.AsSpan(index * FeatureSize, FeatureSize);

    /// <summary>The targets of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> GetTargets(int index) => _targets.AsSpan(index * TargetSize, TargetSize);

    /// <summary>The features of <paramref name="count"/> consecutive samples from <paramref name="start"/>, row after row.</summary>
    internal ReadOnlySpan<float> GetFeatureRows(int start, int count) => _features.AsSpan(start * FeatureSize, count * FeatureSize);

    /// <summary>The targets of <paramref name="count"/> consecutive samples from <paramref name="start"/>, row after row.</summary>
    internal ReadOnlySpan<float> GetTargetRows(int start, int count) => _targets.AsSpan(start * TargetSize, count * TargetSize);

    /// <summary>True when every target is 0 or 1 (binary or one-hot labels), so that accuracy means something.</summary>
    /// <remarks>Computed on first use and kept: the targets are not expected to change once wrapped.</remarks>
    public bool HasBinaryTargets
    {
        get
        {
            if (_binaryTargets == 0)
            {
                _binaryTargets = AllZeroOrOne(_targets) ? 1 : 2;
            }
            return _binaryTargets == 1;
        }
    }

    private static bool AllZeroOrOne(float[] values)
    {
        foreach (float value in values)
        {
            if (value != 0f && value != 1f)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Whether <paramref name="prediction"/> gets <paramref name="target"/> right: for a single output, both on the
    /// same side of 0.5; for several, the largest output is where the target is largest.
    /// </summary>
    public static bool IsCorrect(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target)
    {
        if (prediction.Length == 1)
        {
            return (prediction[0] >= 0.5f) == (target[0] >= 0.5f);
        }
        return ArgMax(prediction) == ArgMax(target);
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }
}
