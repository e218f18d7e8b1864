using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// Grid and random search over network classes and training options. Each trial trains a fresh network (initialized
/// from its options' <see cref="TrainingOptions.Seed"/>, so trials differ only in what is searched) on the training
/// data and is scored on the validation data or by cross-validation on the training data; the trials run in parallel,
/// and come back sorted by the validation metric. A search takes no test set: the test set is measured once, after.
/// </summary>
public static class HyperparameterSearch
{
    /// <summary>Tries every combination of <paramref name="space"/>, each scored on <paramref name="validation"/>.</summary>
    /// <param name="space">The networks and hyperparameters; every hyperparameter must be a list of values.</param>
    /// <param name="training">The data each trial trains on.</param>
    /// <param name="validation">The data each trial is scored on.</param>
    /// <param name="options">The metric, parallelism and seed; the defaults when null.</param>
    /// <param name="cancellationToken">Stops the search; throws <see cref="OperationCanceledException"/>.</param>
    public static SearchResult Grid(SearchSpace space, DataSet training, DataSet validation, SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(space);
        return Run(space, space.Grid(), training, validation, folds: 0, options ?? new SearchOptions(), cancellationToken);
    }

    /// <summary>Tries <paramref name="trials"/> combinations drawn at random from <paramref name="space"/>, each scored on <paramref name="validation"/>.</summary>
    /// <param name="space">The networks and hyperparameters.</param>
    /// <param name="trials">How many combinations to draw.</param>
    /// <param name="training">The data each trial trains on.</param>
    /// <param name="validation">The data each trial is scored on.</param>
    /// <param name="options">The metric, parallelism and seed; the defaults when null.</param>
    /// <param name="cancellationToken">Stops the search; throws <see cref="OperationCanceledException"/>.</param>
    public static SearchResult Random(SearchSpace space, int trials, DataSet training, DataSet validation, SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(space);
        options ??= new SearchOptions();
        return Run(space, space.Draw(trials, options.Seed), training, validation, folds: 0, options, cancellationToken);
    }

    /// <summary>Tries every combination of <paramref name="space"/>, each scored by <paramref name="folds"/>-fold cross-validation on <paramref name="training"/>.</summary>
    /// <param name="space">The networks and hyperparameters; every hyperparameter must be a list of values.</param>
    /// <param name="training">The data cut into folds.</param>
    /// <param name="folds">The number of folds.</param>
    /// <param name="options">The metric, parallelism and seed; the defaults when null.</param>
    /// <param name="cancellationToken">Stops the search; throws <see cref="OperationCanceledException"/>.</param>
    public static SearchResult GridCrossValidated(SearchSpace space, DataSet training, int folds, SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(space);
        return Run(space, space.Grid(), training, validation: null, folds, options ?? new SearchOptions(), cancellationToken);
    }

    /// <summary>Tries <paramref name="trials"/> combinations drawn at random, each scored by <paramref name="folds"/>-fold cross-validation on <paramref name="training"/>.</summary>
    /// <param name="space">The networks and hyperparameters.</param>
    /// <param name="trials">How many combinations to draw.</param>
    /// <param name="training">The data cut into folds.</param>
    /// <param name="folds">The number of folds.</param>
    /// <param name="options">The metric, parallelism and seed; the defaults when null.</param>
    /// <param name="cancellationToken">Stops the search; throws <see cref="OperationCanceledException"/>.</param>
    public static SearchResult RandomCrossValidated(SearchSpace space, int trials, DataSet training, int folds, SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(space);
        options ??= new SearchOptions();
        return Run(space, space.Draw(trials, options.Seed), training, validation: null, folds, options, cancellationToken);
    }

    private static SearchResult Run(SearchSpace space, List<(ModelCandidate Network, Hyperparameters Values)> trials, DataSet training, DataSet? validation,
        int folds, SearchOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxParallelTrials);
        foreach (ModelCandidate network in space.Networks)
        {
            CrossValidation.CheckShape(network, training);
            if (validation is not null)
            {
                CrossValidation.CheckShape(network, validation);
            }
        }
        int[][]? dealt = validation is null ? Stratification.Folds(training, folds, options.Seed) : null;
        var results = new SearchTrial[trials.Count];
        var claimed = new ConditionalWeakTable<Optimizer, object>();
        CrossValidation.ForEach(trials.Count, options.MaxParallelTrials, cancellationToken, index =>
        {
            (ModelCandidate network, Hyperparameters values) = trials[index];
            results[index] = RunTrial(index, network, values, space, training, validation, dealt, options.Metric, claimed, cancellationToken);
            options.Progress?.Report(results[index]);
        });
        bool higherIsBetter = EvaluationMetrics.HigherIsBetter(options.Metric);
        SearchTrial[] sorted = [.. results
            .OrderBy(t => t.Error is null ? 0 : 1)
            .ThenBy(t => t.Error is null ? (higherIsBetter ? -t.Score : t.Score) : 0)
            .ThenBy(t => t.Index)];
        return new SearchResult(options.Metric, sorted, space.Names);
    }

    private static SearchTrial RunTrial(int index, ModelCandidate network, Hyperparameters values, SearchSpace space, DataSet training, DataSet? validation,
        int[][]? dealt, EvaluationMetric metric, ConditionalWeakTable<Optimizer, object> claimed, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            if (validation is not null)
            {
                TrainingOptions trainingOptions = new FreshOptions(() => space.Options(values), claimed).Next();
                TrialRun run = network.Run(training, validation, trainingOptions, trainingOptions.Seed, evaluateTraining: false, cancellationToken);
                return new SearchTrial(index, values, EvaluationMetrics.Value(run.Validation, metric), 0, clock.Elapsed) { Validation = run.Validation };
            }
            CrossValidationResult crossValidation = CrossValidation.RunSequentially(network, training, dealt!, new FreshOptions(() => space.Options(values), claimed), cancellationToken);
            MetricSummary summary = crossValidation.Summarize(metric);
            return new SearchTrial(index, values, summary.Mean, summary.StandardDeviation, clock.Elapsed) { CrossValidation = crossValidation };
        }
        catch (TrainingDivergedException error)
        {
            return new SearchTrial(index, values, double.NaN, 0, clock.Elapsed) { Error = error.Message };
        }
    }
}
