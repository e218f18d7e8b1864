namespace NetGen;

/// <summary>
/// k-fold cross-validation: the data are cut into k stratified folds; for each, a fresh network is trained on the
/// others and measured on it. The folds are dealt with a seed and each fold's network is initialized from
/// <see cref="TrainingOptions.Seed"/> and the fold's index, so the results are bitwise the same on every run, whatever
/// the number of folds run at once.
/// </summary>
public static class CrossValidation
{
    /// <summary>Cross-validates <typeparamref name="TNetwork"/> on <paramref name="data"/>.</summary>
    /// <param name="data">The samples to cut into folds (the training data: never the test set).</param>
    /// <param name="folds">The number of folds k, from 2 to the number of samples.</param>
    /// <param name="options">
    /// Makes the options each fold's network is trained with, called once per fold so that each gets its own optimizer
    /// (single-threaded unless their <see cref="TrainingOptions.Threads"/> say otherwise).
    /// </param>
    /// <param name="seed">The seed the samples are dealt into folds with.</param>
    /// <param name="maxParallelFolds">How many folds train at once; 0 for one per processor.</param>
    /// <param name="cancellationToken">Stops between folds and batches; throws <see cref="OperationCanceledException"/>.</param>
    public static CrossValidationResult Run<TNetwork>(DataSet data, int folds, Func<TrainingOptions> options, int seed = 0, int maxParallelFolds = 0, CancellationToken cancellationToken = default)
        where TNetwork : class, INetwork<TNetwork>, new()
        => Run(ModelCandidate.Of<TNetwork>(), data, folds, options, seed, maxParallelFolds, cancellationToken);

    /// <summary>Cross-validates the network of <paramref name="model"/> on <paramref name="data"/>.</summary>
    /// <param name="model">The network class.</param>
    /// <param name="data">The samples to cut into folds (the training data: never the test set).</param>
    /// <param name="folds">The number of folds k, from 2 to the number of samples.</param>
    /// <param name="options">
    /// Makes the options each fold's network is trained with, called once per fold so that each gets its own optimizer
    /// (single-threaded unless their <see cref="TrainingOptions.Threads"/> say otherwise).
    /// </param>
    /// <param name="seed">The seed the samples are dealt into folds with.</param>
    /// <param name="maxParallelFolds">How many folds train at once; 0 for one per processor.</param>
    /// <param name="cancellationToken">Stops between folds and batches; throws <see cref="OperationCanceledException"/>.</param>
    public static CrossValidationResult Run(ModelCandidate model, DataSet data, int folds, Func<TrainingOptions> options, int seed = 0, int maxParallelFolds = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        CheckShape(model, data);
        ArgumentOutOfRangeException.ThrowIfNegative(maxParallelFolds);
        int[][] dealt = Stratification.Folds(data, folds, seed);
        var fresh = new FreshOptions(options);
        var results = new FoldResult[folds];
        ForEach(folds, maxParallelFolds, cancellationToken, fold => results[fold] = RunFold(model, data, dealt, fold, fresh, cancellationToken));
        return new CrossValidationResult(model.Name, results);
    }

    /// <summary>Runs every fold on the calling thread: for a search, whose trials are already parallel.</summary>
    internal static CrossValidationResult RunSequentially(ModelCandidate model, DataSet data, int[][] dealt, FreshOptions options, CancellationToken cancellationToken)
    {
        var results = new FoldResult[dealt.Length];
        for (int fold = 0; fold < dealt.Length; fold++)
        {
            results[fold] = RunFold(model, data, dealt, fold, options, cancellationToken);
        }
        return new CrossValidationResult(model.Name, results);
    }

    private static FoldResult RunFold(ModelCandidate model, DataSet data, int[][] dealt, int fold, FreshOptions fresh, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TrainingOptions options = fresh.Next();
        DataSet training = data.Subset(Stratification.AllBut(dealt, fold));
        DataSet validation = data.Subset(dealt[fold]);
        TrialRun run = model.Run(training, validation, options, Stratification.Derive(options.Seed, fold), evaluateTraining: false, cancellationToken);
        return new FoldResult(fold, training.Count, run.Validation, run.Training);
    }

    /// <summary>
    /// Runs <paramref name="body"/> for 0 to <paramref name="count"/> - 1, at most <paramref name="maxParallel"/> at once
    /// (0: one per processor), and throws the first failure as itself rather than wrapped in an <see cref="AggregateException"/>.
    /// </summary>
    internal static void ForEach(int count, int maxParallel, CancellationToken cancellationToken, Action<int> body)
    {
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxParallel == 0 ? Environment.ProcessorCount : maxParallel,
            CancellationToken = cancellationToken,
        };
        try
        {
            Parallel.For(0, count, options, body);
        }
        catch (AggregateException error) when (error.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error.InnerExceptions[0]).Throw();
        }
    }

    internal static void CheckShape(ModelCandidate model, DataSet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureSize != model.InputSize || data.TargetSize != model.OutputSize)
        {
            throw new ArgumentException(
                $"{model.Name} takes {model.InputSize} features and {model.OutputSize} targets per sample; " +
                $"the data set has {data.FeatureSize} features and {data.TargetSize} targets.", nameof(data));
        }
    }
}
