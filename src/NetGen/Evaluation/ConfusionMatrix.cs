namespace NetGen;

/// <summary>
/// Counts of samples by true class (rows) and predicted class (columns), as scikit-learn's <c>confusion_matrix</c>
/// lays them out, with the per-class and averaged precision, recall and F1 they give.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[] _counts;

    /// <summary>An empty matrix for <paramref name="classCount"/> classes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is less than 2.</exception>
    public ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        ClassCount = classCount;
        _counts = new int[classCount * classCount];
    }

    /// <summary>The number of classes: the matrix is <see cref="ClassCount"/> x <see cref="ClassCount"/>.</summary>
    public int ClassCount { get; }

    /// <summary>The number of samples counted.</summary>
    public int Total { get; private set; }

    /// <summary>How many samples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public int this[int actual, int predicted] => _counts[Index(actual, predicted)];

    /// <summary>Counts one sample of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A class is not in [0, <see cref="ClassCount"/>).</exception>
    public void Add(int actual, int predicted)
    {
        _counts[Index(actual, predicted)]++;
        Total++;
    }

    /// <summary>The fraction of samples on the diagonal (predicted right); 0 for an empty matrix.</summary>
    public double Accuracy
    {
        get
        {
            int correct = 0;
            for (int c = 0; c < ClassCount; c++)
            {
                correct += this[c, c];
            }
            return Total == 0 ? 0 : (double)correct / Total;
        }
    }

    /// <summary>Precision, recall, F1 and support of class <paramref name="classIndex"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The class is not in [0, <see cref="ClassCount"/>).</exception>
    public ClassMetrics ForClass(int classIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, ClassCount);
        int truePositives = this[classIndex, classIndex], predicted = 0, support = 0;
        for (int other = 0; other < ClassCount; other++)
        {
            predicted += this[other, classIndex];
            support += this[classIndex, other];
        }
        int falsePositives = predicted - truePositives, falseNegatives = support - truePositives;
        return new ClassMetrics(
            Ratio(truePositives, predicted),
            Ratio(truePositives, support),
            Ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives),
            support);
    }

    /// <summary>The unweighted mean over every class of precision, recall and F1 (scikit-learn's <c>average="macro"</c>).</summary>
    public ClassMetrics MacroAverage => Average(weighted: false);

    /// <summary>The mean over the classes weighted by their support (scikit-learn's <c>average="weighted"</c>).</summary>
    public ClassMetrics WeightedAverage => Average(weighted: true);

    private ClassMetrics Average(bool weighted)
    {
        double precision = 0, recall = 0, f1 = 0, weights = 0;
        for (int c = 0; c < ClassCount; c++)
        {
            ClassMetrics metrics = ForClass(c);
            double weight = weighted ? metrics.Support : 1;
            precision += weight * metrics.Precision;
            recall += weight * metrics.Recall;
            f1 += weight * metrics.F1;
            weights += weight;
        }
        return weights == 0 ? new ClassMetrics(0, 0, 0, Total) : new ClassMetrics(precision / weights, recall / weights, f1 / weights, Total);
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private int Index(int actual, int predicted)
    {
        if ((uint)actual >= (uint)ClassCount)
        {
            throw new ArgumentOutOfRangeException(nameof(actual), actual, $"The true class must be in [0, {ClassCount}).");
        }
        if ((uint)predicted >= (uint)ClassCount)
        {
            throw new ArgumentOutOfRangeException(nameof(predicted), predicted, $"The predicted class must be in [0, {ClassCount}).");
        }
        return actual * ClassCount + predicted;
    }
}
