namespace NetGen;

/// <summary>How a <see cref="HyperparameterSearch"/> runs and ranks its trials.</summary>
public sealed class SearchOptions
{
    /// <summary>The validation metric the trials are ranked by. The default is the loss.</summary>
    public EvaluationMetric Metric { get; init; } = EvaluationMetric.Loss;

    /// <summary>
    /// How many trials train at once, each on its own thread (and single-threaded itself unless the trial's
    /// <see cref="TrainingOptions.Threads"/> says otherwise); 0, the default, for one per processor.
    /// </summary>
    public int MaxParallelTrials { get; init; }

    /// <summary>The seed of a random search's draws and of the cross-validation folds. The default is 0.</summary>
    public int Seed { get; init; }

    /// <summary>Told of each trial as it ends, on the thread that ran it (trials end in any order).</summary>
    public IProgress<SearchTrial>? Progress { get; init; }
}
