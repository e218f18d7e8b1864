namespace NetGen;

/// <summary>
/// A metric on the training and the validation data against the epoch (from a training's history) or against the size
/// of the training set (from fresh networks trained on growing parts of it), and the diagnosis it supports.
/// </summary>
public sealed class LearningCurve
{
    private LearningCurve(EvaluationMetric metric, LearningCurveAxis axis, LearningCurvePoint[] points, double? marked)
    {
        Metric = metric;
        Axis = axis;
        Points = points;
        Marked = marked;
    }

    /// <summary>The metric drawn.</summary>
    public EvaluationMetric Metric { get; }

    /// <summary>What the metric is drawn against.</summary>
    public LearningCurveAxis Axis { get; }

    /// <summary>The points, by increasing <see cref="LearningCurvePoint.X"/>.</summary>
    public IReadOnlyList<LearningCurvePoint> Points { get; }

    /// <summary>
    /// The early-stopping epoch: the best on the validation metric, when early stopping found it before the last epoch
    /// (the epoch whose parameters it restores); null otherwise.
    /// </summary>
    public double? Marked { get; }

    /// <summary>The curve of a training's history: one point per epoch.</summary>
    /// <param name="result">What training did.</param>
    /// <param name="metric"><see cref="EvaluationMetric.Loss"/> or <see cref="EvaluationMetric.Accuracy"/>: what an <see cref="EpochReport"/> holds.</param>
    /// <exception cref="ArgumentException">The history is empty, the metric is another, or the history has no accuracy.</exception>
    public static LearningCurve FromHistory(TrainingResult result, EvaluationMetric metric = EvaluationMetric.Loss)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (metric is not (EvaluationMetric.Loss or EvaluationMetric.Accuracy))
        {
            throw new ArgumentException($"A training's history holds the loss and the accuracy, not {metric}.", nameof(metric));
        }
        if (result.History.Count == 0)
        {
            throw new ArgumentException("The training ran no epoch: there is no curve to draw.", nameof(result));
        }
        var points = new LearningCurvePoint[result.History.Count];
        for (int i = 0; i < points.Length; i++)
        {
            EpochReport report = result.History[i];
            points[i] = metric == EvaluationMetric.Loss
                ? new LearningCurvePoint(report.Epoch, report.Loss, report.ValidationLoss)
                : new LearningCurvePoint(report.Epoch, report.Accuracy ?? throw new ArgumentException(
                    "The history has no training accuracy: the targets are not labels, or TrainingOptions.EvaluateTrainingData was false.", nameof(result)), report.ValidationAccuracy);
        }
        bool bestBeforeLast = result.StoppedEarly || (result.BestEpoch > 0 && result.BestEpoch != result.History.Count);
        return new LearningCurve(metric, LearningCurveAxis.Epoch, points, bestBeforeLast ? result.BestEpoch : null);
    }

    /// <summary>
    /// The curve against the training-set size: for each size, a fresh <typeparamref name="TNetwork"/> trained on that
    /// many samples of <paramref name="training"/> (a class-balanced part; the parts grow by adding samples), measured
    /// on those samples and on <paramref name="validation"/>.
    /// </summary>
    /// <inheritdoc cref="BySize(ModelCandidate, DataSet, DataSet, IReadOnlyList{int}, Func{TrainingOptions}, EvaluationMetric, int, int, CancellationToken)"/>
    public static LearningCurve BySize<TNetwork>(DataSet training, DataSet validation, IReadOnlyList<int> sizes, Func<TrainingOptions> options,
        EvaluationMetric metric = EvaluationMetric.Loss, int seed = 0, int maxParallel = 0, CancellationToken cancellationToken = default)
        where TNetwork : class, INetwork<TNetwork>, new()
        => BySize(ModelCandidate.Of<TNetwork>(), training, validation, sizes, options, metric, seed, maxParallel, cancellationToken);

    /// <summary>
    /// The curve against the training-set size: for each size, a fresh network of <paramref name="model"/> trained on
    /// that many samples of <paramref name="training"/> (a class-balanced part; the parts grow by adding samples),
    /// measured on those samples and on <paramref name="validation"/>.
    /// </summary>
    /// <param name="model">The network class.</param>
    /// <param name="training">The samples the parts are taken from.</param>
    /// <param name="validation">The samples each network is measured on.</param>
    /// <param name="sizes">The training-set sizes, each from 1 to <c>training.Count</c>.</param>
    /// <param name="options">
    /// Makes the options each network is trained with, called once per size so that each gets its own optimizer; each
    /// network is initialized from their <see cref="TrainingOptions.Seed"/>.
    /// </param>
    /// <param name="metric">The metric drawn.</param>
    /// <param name="seed">The seed the order the parts grow in is drawn with.</param>
    /// <param name="maxParallel">How many sizes train at once; 0 for one per processor.</param>
    /// <param name="cancellationToken">Stops the trainings; throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public static LearningCurve BySize(ModelCandidate model, DataSet training, DataSet validation, IReadOnlyList<int> sizes, Func<TrainingOptions> options,
        EvaluationMetric metric = EvaluationMetric.Loss, int seed = 0, int maxParallel = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(options);
        CrossValidation.CheckShape(model, training);
        CrossValidation.CheckShape(model, validation);
        if (sizes.Count == 0)
        {
            throw new ArgumentException("A learning curve needs at least one training-set size.", nameof(sizes));
        }
        foreach (int size in sizes)
        {
            if (size < 1 || size > training.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(sizes), size, $"Each training-set size must be from 1 to {training.Count} (the training samples).");
            }
        }
        int[] sorted = [.. sizes.Order()];
        int[] order = GrowingOrder(training, seed);
        var points = new LearningCurvePoint[sorted.Length];
        var fresh = new FreshOptions(options);
        CrossValidation.ForEach(sorted.Length, maxParallel, cancellationToken, i =>
        {
            DataSet part = training.Subset(order.AsSpan(0, sorted[i]));
            TrainingOptions trainingOptions = fresh.Next();
            TrialRun run = model.Run(part, validation, trainingOptions, trainingOptions.Seed, evaluateTraining: true, cancellationToken);
            points[i] = new LearningCurvePoint(sorted[i], EvaluationMetrics.Value(run.TrainingFigures!, metric), EvaluationMetrics.Value(run.Validation, metric));
        });
        return new LearningCurve(metric, LearningCurveAxis.TrainingSamples, points, marked: null);
    }

    /// <summary>
    /// Every sample index in an order whose every prefix holds the classes in about the proportions of the whole: each
    /// class's samples, shuffled, are spread evenly along the order.
    /// </summary>
    private static int[] GrowingOrder(DataSet training, int seed)
    {
        var keyed = new List<(double Position, int Class, int Sample)>(training.Count);
        List<int>[] classes = Stratification.ShuffledClasses(training, seed);
        for (int c = 0; c < classes.Length; c++)
        {
            for (int k = 0; k < classes[c].Count; k++)
            {
                keyed.Add(((k + 0.5) / classes[c].Count, c, classes[c][k]));
            }
        }
        return [.. keyed.OrderBy(e => e.Position).ThenBy(e => e.Class).Select(e => e.Sample)];
    }

    /// <summary>
    /// Diagnoses the model at the marked epoch (or the last point): high bias when the training error is above
    /// <paramref name="acceptableError"/>, high variance when the validation error is more than
    /// <paramref name="gapTolerance"/> above the training error. An error is the metric itself where lower is better,
    /// and one minus it where higher is better.
    /// </summary>
    /// <param name="acceptableError">The error one would accept (a human's, or the goal's).</param>
    /// <param name="gapTolerance">The largest validation-minus-training gap that is not over-fitting; the acceptable error when null.</param>
    /// <exception cref="InvalidOperationException">The curve has no validation values.</exception>
    public Diagnosis Diagnose(double acceptableError, double? gapTolerance = null)
    {
        LearningCurvePoint point = Points[^1];
        if (Marked is { } marked)
        {
            point = Points.First(p => p.X == marked);
        }
        if (point.Validation is not { } validation)
        {
            throw new InvalidOperationException("A diagnosis compares training and validation errors: train with validation data (TrainingOptions.ValidationData or ValidationSplit).");
        }
        return Diagnosis.Of(Error(point.Training), Error(validation), acceptableError, gapTolerance);
    }

    private double Error(double value) => EvaluationMetrics.HigherIsBetter(Metric) ? 1 - value : value;
}
