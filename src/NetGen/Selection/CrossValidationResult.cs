namespace NetGen;

/// <summary>What a k-fold cross-validation measured: each fold's figures, and the mean and spread of each metric.</summary>
public sealed class CrossValidationResult
{
    internal CrossValidationResult(string network, IReadOnlyList<FoldResult> folds)
    {
        Network = network;
        Folds = folds;
    }

    /// <summary>The name of the network class validated.</summary>
    public string Network { get; }

    /// <summary>The folds, in order.</summary>
    public IReadOnlyList<FoldResult> Folds { get; }

    /// <summary>The mean and spread of the validation loss over the folds.</summary>
    public MetricSummary Loss => Summarize(EvaluationMetric.Loss);

    /// <summary>The mean and spread of <paramref name="metric"/> on the held-out folds.</summary>
    /// <exception cref="InvalidOperationException">The folds' results do not hold the metric.</exception>
    public MetricSummary Summarize(EvaluationMetric metric)
    {
        var values = new double[Folds.Count];
        for (int f = 0; f < values.Length; f++)
        {
            values[f] = EvaluationMetrics.Value(Folds[f].Validation, metric);
        }
        return MetricSummary.Of(values);
    }
}
