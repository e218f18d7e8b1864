namespace NetGen;

/// <summary>
/// How well a network does on a data set: what <see cref="Trainer.Evaluate{TNetwork}"/> measures. Where the targets
/// are labels (every target 0 or 1: one-hot rows, or a single 0/1 target) it holds the classification metrics; where
/// they are not, the regression metrics. The metrics follow scikit-learn's <c>sklearn.metrics</c> and are computed in
/// double precision.
/// </summary>
/// <param name="Loss">The mean loss over the samples (the network's <see cref="INetwork{TSelf}.Loss"/>, no regularization penalty).</param>
/// <param name="Accuracy">The fraction of samples predicted right, or null when the targets are not labels (0 or 1).</param>
/// <param name="Count">The number of samples.</param>
public sealed record EvaluationResult(float Loss, float? Accuracy, int Count)
{
    /// <summary>
    /// Counts by true and predicted class (see <see cref="ClassLabels"/>: one output is two classes by the 0.5
    /// threshold, several are one class each by the argmax); null when the targets are not labels.
    /// </summary>
    public ConfusionMatrix? ConfusionMatrix { get; init; }

    /// <summary>Precision, recall, F1 and support of each class, by class index; null when the targets are not labels.</summary>
    public IReadOnlyList<ClassMetrics>? PerClass { get; init; }

    /// <summary>The unweighted mean of the per-class metrics over every class; null when the targets are not labels.</summary>
    public ClassMetrics? MacroAverage { get; init; }

    /// <summary>The mean of the per-class metrics weighted by each class's support; null when the targets are not labels.</summary>
    public ClassMetrics? WeightedAverage { get; init; }

    /// <summary>
    /// For a two-class problem, the area under the ROC curve of the score: the single output, or output 1 minus
    /// output 0 for two outputs (for softmax, ranked as the probability of class 1). Null for more classes, for targets
    /// that are not labels, and when only one class is present (the curve is then undefined).
    /// </summary>
    public double? RocAuc { get; init; }

    /// <summary>The mean squared error over every output value; null when the targets are labels.</summary>
    public double? MeanSquaredError { get; init; }

    /// <summary>The mean absolute error over every output value; null when the targets are labels.</summary>
    public double? MeanAbsoluteError { get; init; }

    /// <summary>
    /// The coefficient of determination R^2, averaged over the outputs (1 is perfect, 0 is no better than each
    /// output's mean; an output whose targets are constant counts 1 when predicted exactly and 0 otherwise); null when
    /// the targets are labels.
    /// </summary>
    public double? RSquared { get; init; }

    /// <summary>
    /// The figures of outputs against targets, given as rows of <paramref name="outputSize"/> values: for any model's
    /// predictions, not only a NetGen network's.
    /// </summary>
    /// <param name="outputs">One row of outputs per sample.</param>
    /// <param name="targets">One row of targets per sample, as long as <paramref name="outputs"/>.</param>
    /// <param name="outputSize">The number of values per row.</param>
    /// <param name="loss">The mean loss, computed by the caller (it depends on the network's loss function).</param>
    /// <exception cref="ArgumentException">The lengths differ, are empty, or are not whole rows.</exception>
    public static EvaluationResult FromOutputs(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int outputSize, float loss)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        if (targets.IsEmpty || targets.Length % outputSize != 0)
        {
            throw new ArgumentException($"The targets hold {targets.Length} values; expected at least one whole row of {outputSize}.", nameof(targets));
        }
        if (outputs.Length != targets.Length)
        {
            throw new ArgumentException($"The outputs hold {outputs.Length} values; the {targets.Length / outputSize} rows of targets need {targets.Length}.", nameof(outputs));
        }
        int count = targets.Length / outputSize;
        return AreLabels(targets)
            ? Classification(outputs, targets, outputSize, count, loss)
            : Regression(outputs, targets, outputSize, count, loss);
    }

    private static bool AreLabels(ReadOnlySpan<float> targets)
    {
        foreach (float value in targets)
        {
            if (value != 0f && value != 1f)
            {
                return false;
            }
        }
        return true;
    }

    private static EvaluationResult Classification(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int outputSize, int count, float loss)
    {
        var matrix = new ConfusionMatrix(ClassLabels.Count(outputSize));
        for (int i = 0; i < count; i++)
        {
            matrix.Add(ClassLabels.Of(targets.Slice(i * outputSize, outputSize)), ClassLabels.Of(outputs.Slice(i * outputSize, outputSize)));
        }
        var perClass = new ClassMetrics[matrix.ClassCount];
        for (int c = 0; c < perClass.Length; c++)
        {
            perClass[c] = matrix.ForClass(c);
        }
        return new EvaluationResult(loss, (float)matrix.Accuracy, count)
        {
            ConfusionMatrix = matrix,
            PerClass = perClass,
            MacroAverage = matrix.MacroAverage,
            WeightedAverage = matrix.WeightedAverage,
            RocAuc = outputSize <= 2 ? BinaryRocAuc(outputs, targets, outputSize, count) : null,
        };
    }

    /// <summary>
    /// The area under the ROC curve as the Mann-Whitney statistic: the probability that a random positive scores above
    /// a random negative, ties counting half (what scikit-learn's trapezoids give).
    /// </summary>
    private static double? BinaryRocAuc(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int outputSize, int count)
    {
        var scores = new double[count];
        var positive = new bool[count];
        int positives = 0;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> output = outputs.Slice(i * outputSize, outputSize);
            scores[i] = outputSize == 1 ? output[0] : (double)output[1] - output[0];
            positive[i] = ClassLabels.Of(targets.Slice(i * outputSize, outputSize)) == 1;
            positives += positive[i] ? 1 : 0;
        }
        int negatives = count - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }
        int[] order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        Array.Sort(scores.ToArray(), order);
        double positiveRankSum = 0;
        for (int start = 0; start < count;)
        {
            int end = start + 1;
            while (end < count && scores[order[end]] == scores[order[start]])
            {
                end++;
            }
            double averageRank = (start + 1 + end) / 2.0; // ranks start..end-1, counted from 1
            for (int k = start; k < end; k++)
            {
                if (positive[order[k]])
                {
                    positiveRankSum += averageRank;
                }
            }
            start = end;
        }
        double u = positiveRankSum - positives * (positives + 1) / 2.0;
        return u / ((double)positives * negatives);
    }

    private static EvaluationResult Regression(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int outputSize, int count, float loss)
    {
        double squaredSum = 0, absoluteSum = 0, rSquaredSum = 0;
        for (int column = 0; column < outputSize; column++)
        {
            double mean = 0;
            for (int i = 0; i < count; i++)
            {
                mean += targets[i * outputSize + column];
            }
            mean /= count;
            double residual = 0, total = 0;
            for (int i = 0; i < count; i++)
            {
                double target = targets[i * outputSize + column];
                double error = (double)outputs[i * outputSize + column] - target;
                residual += error * error;
                absoluteSum += Math.Abs(error);
                total += (target - mean) * (target - mean);
            }
            squaredSum += residual;
            rSquaredSum += total != 0 ? 1 - residual / total : residual == 0 ? 1 : 0;
        }
        double values = (double)count * outputSize;
        return new EvaluationResult(loss, null, count)
        {
            MeanSquaredError = squaredSum / values,
            MeanAbsoluteError = absoluteSum / values,
            RSquared = rSquaredSum / outputSize,
        };
    }
}
