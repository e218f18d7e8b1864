namespace NetGen;

/// <summary>Reading an <see cref="EvaluationMetric"/> out of an <see cref="EvaluationResult"/>.</summary>
public static class EvaluationMetrics
{
    /// <summary>Whether a larger value of <paramref name="metric"/> is better (accuracy, F1, AUC, R^2) rather than a smaller one (loss, errors).</summary>
    public static bool HigherIsBetter(EvaluationMetric metric) => metric switch
    {
        EvaluationMetric.Loss or EvaluationMetric.MeanSquaredError or EvaluationMetric.MeanAbsoluteError => false,
        EvaluationMetric.Accuracy or EvaluationMetric.MacroF1 or EvaluationMetric.RocAuc or EvaluationMetric.RSquared => true,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>The value of <paramref name="metric"/> in <paramref name="result"/>.</summary>
    /// <exception cref="InvalidOperationException">The result does not hold the metric (accuracy for regression targets, say).</exception>
    public static double Value(EvaluationResult result, EvaluationMetric metric)
    {
        ArgumentNullException.ThrowIfNull(result);
        double? value = metric switch
        {
            EvaluationMetric.Loss => result.Loss,
            EvaluationMetric.Accuracy => result.Accuracy,
            EvaluationMetric.MacroF1 => result.MacroAverage?.F1,
            EvaluationMetric.RocAuc => result.RocAuc,
            EvaluationMetric.MeanSquaredError => result.MeanSquaredError,
            EvaluationMetric.MeanAbsoluteError => result.MeanAbsoluteError,
            EvaluationMetric.RSquared => result.RSquared,
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
        };
        return value ?? throw new InvalidOperationException(metric switch
        {
            EvaluationMetric.Accuracy or EvaluationMetric.MacroF1 => $"{metric} needs targets that are labels (every target 0 or 1).",
            EvaluationMetric.RocAuc => "RocAuc needs labels of two classes, both present.",
            _ => $"{metric} needs targets that are not labels; for labels use Loss, Accuracy, MacroF1 or RocAuc.",
        });
    }
}
