using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Trains a generated network by mini-batch gradient descent: each step averages the gradients of a batch of samples
/// (computed by the network's generated backward pass, with dropout where declared), adds the regularization
/// penalty's gradient, clips it, and hands it to the optimizer. Holds every buffer it needs, so a step allocates
/// nothing.
/// </summary>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
public sealed partial class Trainer<TNetwork> where TNetwork : class, INetwork<TNetwork>
{
    private readonly TNetwork _network;
    private readonly TrainingOptions _options;
    private readonly Optimizer _optimizer;
    private readonly float[] _gradient = new float[TNetwork.ParameterCount];
    private readonly float[] _output = new float[TNetwork.OutputSize];
    private readonly float[] _batchInputs = new float[GatherRows * TNetwork.InputSize];
    private readonly float[] _batchTargets = new float[GatherRows * TNetwork.OutputSize];
    private readonly bool _fusedSgdStep;

    /// <summary>Whether batches of up to <see cref="ChunkSize"/> samples take the network's own fused step (<see cref="INetwork{TSelf}.SgdBatchStep"/>).</summary>
    private readonly bool _fusedBatchStep;
    private readonly bool _singleThreadStep;
    private DeterministicRandom _random;
    private double _learningRate;

    /// <summary>How many samples are copied into contiguous rows for one call of the batch path.</summary>
    private const int GatherRows = 64;

    /// <summary>Prepares to train <paramref name="network"/> with <paramref name="options"/>.</summary>
    public Trainer(TNetwork network, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _network = network;
        _options = options;
        _optimizer = options.Optimizer ?? new Sgd();
        _random = new DeterministicRandom(options.Seed);
        LearningRate = options.LearningRate;
        // Plain SGD with nothing between the gradient and the step can take the network's fused per-sample step.
        _fusedSgdStep = _optimizer is Sgd { IsPlain: true } && options.Regularization is null && options.MaxGradientNorm is null;
        _fusedBatchStep = _fusedSgdStep && TNetwork.FusesBatchSgdStep;
        _sparseTable = options.Regularization is null ? Table : null;
        _singleThreadStep = options.Threads == 1 || TNetwork.ParameterCount < ParallelStepMinimum || !_optimizer.UpdatesRanges;
    }

    /// <summary>The network being trained.</summary>
    public TNetwork Network => _network;

    /// <summary>The optimizer, with its state.</summary>
    public Optimizer Optimizer => _optimizer;

    /// <summary>The learning rate the next step uses; <see cref="Train"/> sets it every epoch from the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be a finite number, 0 or more.");
            }
            _learningRate = value;
        }
    }

    /// <summary>
    /// Trains on <paramref name="training"/> for <see cref="TrainingOptions.Epochs"/> epochs, validating on
    /// <see cref="TrainingOptions.ValidationData"/> or a split of it, until early stopping or
    /// <paramref name="cancellationToken"/> ends it sooner.
    /// </summary>
    /// <param name="training">The samples to train on.</param>
    /// <param name="cancellationToken">
    /// Ends training between two batches, the way early stopping does: the epoch in progress is reported, the best
    /// parameters are restored when <see cref="EarlyStopping.RestoreBestParameters"/> asks for it, and the result says
    /// <see cref="TrainingResult.Cancelled"/>. Nothing is thrown.
    /// </param>
    /// <exception cref="TrainingDivergedException">
    /// A batch's loss or gradient was NaN or infinite, or at the end of a batch or an epoch both the loss and the
    /// parameters' root mean square had grown more than a thousandfold from where training started. The network is
    /// given back the parameters it had at the end of the last epoch that passed these checks (or at the start); the
    /// optimizer's state is not rolled back.
    /// </exception>
    public TrainingResult Train(DataSet training, CancellationToken cancellationToken = default)
    {
        CheckShape(training);
        DataSet? validation = _options.ValidationData;
        if (validation is not null)
        {
            CheckShape(validation);
        }
        else if (_options.ValidationSplit > 0)
        {
            (validation, training) = training.Split(_options.ValidationSplit, _options.Seed);
        }
        EarlyStopping? early = _options.EarlyStopping;
        if (early is not null && validation is null)
        {
            throw new ArgumentException("Early stopping watches validation data: set TrainingOptions.ValidationData or ValidationSplit.", nameof(training));
        }

        var clock = new EpochClock();
        // The one allocation that grows with the epochs, made once here; none is made per epoch.
        EpochHistory? history = _options.KeepHistory ? new EpochHistory(_options.Epochs) : null;
        float[] parameters = _network.Parameters;
        float[]? best = early is { RestoreBestParameters: true } ? (float[])parameters.Clone() : null;
        var divergence = new DivergenceCheck(parameters, StartsFromTheFirstBatch(training) ? double.NaN : StartLoss(training));
        int[] order = new int[training.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        // Decided here, where the code runs once and unoptimized: a quiet training never compiles RunEpochs, the larger
        // of the two loops, at its first call.
        return ReportsOnlyTheLoss(validation) && early is null
            ? RunQuietEpochs(training, clock, history, divergence, order, cancellationToken)
            : RunEpochs(training, validation, early, clock, history, best, divergence, order, cancellationToken);
    }

    /// <summary>
    /// Whether nothing but the loss and the time can change from one epoch's report to the next: no schedule, no
    /// callback that could set the rate, no penalty, no accuracy, no validation.
    /// </summary>
    private bool ReportsOnlyTheLoss(DataSet? validation)
        => _options.Schedule is null && _options.Progress is null && _options.Regularization is null && !_options.EvaluateTrainingData && validation is null;

    /// <summary>
    /// The epochs of <see cref="Train"/> and its result. The one part of a training compiled optimized at its first call:
    /// the set-up above, early stopping's bookkeeping and the end run once per training or only with early stopping,
    /// and are left to the JIT's quick first tier, which makes a first training's compilation shorter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private TrainingResult RunEpochs(
        DataSet training, DataSet? validation, EarlyStopping? early, EpochClock clock, EpochHistory? history, float[]? best,
        DivergenceCheck divergence, int[] order, CancellationToken cancellationToken)
    {
        IProgress<EpochReport>? progress = _options.Progress;
        EpochReport lastReport = default, bestReport = default;
        int epochsRun = 0;
        float[] parameters = _network.Parameters;
        double bestMetric = double.NaN;
        int bestEpoch = 0, epochsWithoutImprovement = 0;
        bool stoppedEarly = false, cancelled = false;
        int batchSize = Math.Min(_options.BatchSize, training.Count);
        LearningRateSchedule? schedule = _options.Schedule;
        bool othersConstant = ReportsOnlyTheLoss(validation);

        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }
            if (schedule is null)
            {
                _learningRate = _options.LearningRate; // validated with the options
            }
            else
            {
                LearningRate = schedule.RateAt(epoch, _options.LearningRate);
            }
            if (_options.Shuffle)
            {
                _random.Shuffle(order.AsSpan());
            }
            float meanBatchLoss = TrainBatches(training, order, batchSize, epoch, divergence, cancellationToken, ref cancelled, out int batch);
            (float loss, float? accuracy) = _options.EvaluateTrainingData ? Measure(training) : (meanBatchLoss, null);
            // The batch losses tell of a run-away step even when the epoch's last steps brought the loss back down.
            float epochLoss = Math.Max(loss, meanBatchLoss);
            if (!float.IsFinite(epochLoss))
            {
                throw divergence.NotFiniteError(epoch, batch: null, epochLoss, parameters);
            }
            if (divergence.HasRunAway(epochLoss, parameters))
            {
                throw divergence.RunAwayError(epoch, batch: null, epochLoss, parameters);
            }
            divergence.Passed(epoch, parameters);

            float penalty = _options.Regularization?.Penalty(parameters, TNetwork.Layers, training.Count) ?? 0f;
            float? validationLoss = null, validationAccuracy = null;
            if (validation is not null)
            {
                (float measuredLoss, validationAccuracy) = Measure(validation);
                validationLoss = measuredLoss;
            }
            var report = new EpochReport(epoch, loss, accuracy)
            {
                Penalty = penalty,
                LearningRate = LearningRate,
                ValidationLoss = validationLoss,
                ValidationAccuracy = validationAccuracy,
                // A callback watching training gets the time read now; otherwise short epochs may carry the last time read.
                Elapsed = progress is null ? clock.Elapsed(epoch) : clock.Now(),
            };
            history?.Add(report, othersAsBefore: othersConstant);
            lastReport = report;
            epochsRun++;
            progress?.Report(report);

            if (early is null)
            {
                bestEpoch = epoch;
            }
            else if (StopsEarly(early, report, parameters, best, ref bestMetric, ref bestEpoch, ref bestReport, ref epochsWithoutImprovement))
            {
                stoppedEarly = epoch < _options.Epochs;
                break;
            }
            if (cancelled)
            {
                break;
            }
        }

        return Finish(training, clock, progress is not null, history, lastReport, bestReport, epochsRun, bestEpoch, best, parameters, stoppedEarly, cancelled);
    }

    /// <summary>
    /// <see cref="RunEpochs"/> for a training nobody watches epoch by epoch: no callback, early stopping, schedule,
    /// penalty, accuracy or validation, so each epoch is its batches, the divergence checks and the history. The same
    /// steps and the same result; kept apart because the general loop's many live values cost an epoch of a network as
    /// small as XOR's a quarter of its time in stack traffic.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private TrainingResult RunQuietEpochs(DataSet training, EpochClock clock, EpochHistory? history, DivergenceCheck divergence, int[] order, CancellationToken cancellationToken)
    {
        float[] parameters = _network.Parameters;
        int batchSize = Math.Min(_options.BatchSize, training.Count);
        int epochs = _options.Epochs, epochsRun = 0;
        bool cancelled = false;
        float loss = 0f;
        TimeSpan elapsed = default;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }
            _learningRate = _options.LearningRate; // validated with the options
            if (_options.Shuffle)
            {
                _random.Shuffle(order.AsSpan());
            }
            loss = TrainBatches(training, order, batchSize, epoch, divergence, cancellationToken, ref cancelled, out _);
            if (!float.IsFinite(loss))
            {
                throw divergence.NotFiniteError(epoch, batch: null, loss, parameters);
            }
            if (divergence.HasRunAway(loss, parameters))
            {
                throw divergence.RunAwayError(epoch, batch: null, loss, parameters);
            }
            divergence.Passed(epoch, parameters);
            elapsed = clock.Elapsed(epoch);
            history?.Add(QuietReport(epoch, loss, elapsed), othersAsBefore: true);
            epochsRun = epoch;
            if (cancelled)
            {
                break;
            }
        }
        EpochReport last = epochsRun > 0 ? QuietReport(epochsRun, loss, elapsed) : default;
        return Finish(training, clock, watched: false, history, last, bestReport: default, epochsRun, bestEpoch: epochsRun, best: null, parameters, stoppedEarly: false, cancelled);
    }

    /// <summary>An epoch's report in <see cref="RunQuietEpochs"/>: what <see cref="RunEpochs"/> reports with nothing to measure but the loss.</summary>
    private EpochReport QuietReport(int epoch, float loss, TimeSpan elapsed)
        => new(epoch, loss, Accuracy: null) { Penalty = 0f, LearningRate = LearningRate, Elapsed = elapsed };

    /// <summary>
    /// One epoch's batches of <paramref name="order"/>, each trained and checked: returns the mean of their losses
    /// weighted by their sizes, and in <paramref name="batch"/> how many ran. Sets <paramref name="cancelled"/> when
    /// <paramref name="cancellationToken"/> ends the epoch between two batches.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float TrainBatches(DataSet training, int[] order, int batchSize, int epoch, DivergenceCheck divergence, CancellationToken cancellationToken, ref bool cancelled, out int batch)
    {
        float[] parameters = _network.Parameters;
        double lossSum = 0;
        int trained = 0;
        batch = 0;
        for (int start = 0; start < order.Length; start += batchSize)
        {
            if (batch > 0 && cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }
            batch++;
            var indices = order.AsSpan(start, Math.Min(batchSize, order.Length - start));
            if (!TryTrainBatch(training, indices, out float batchLoss))
            {
                throw divergence.NotFiniteError(epoch, batch, batchLoss, parameters);
            }
            divergence.TakeStartLoss(batchLoss);
            if (divergence.HasRunAway(batchLoss, parameters))
            {
                throw divergence.RunAwayError(epoch, batch, batchLoss, parameters);
            }
            lossSum += batchLoss * indices.Length;
            trained += indices.Length;
        }
        return (float)(lossSum / trained);
    }

    /// <summary>
    /// Early stopping's bookkeeping after <paramref name="report"/>'s epoch: the best epoch so far (and its parameters,
    /// into <paramref name="best"/>) when the metric improved; returns whether patience has run out.
    /// </summary>
    private static bool StopsEarly(
        EarlyStopping early, in EpochReport report, float[] parameters, float[]? best,
        ref double bestMetric, ref int bestEpoch, ref EpochReport bestReport, ref int epochsWithoutImprovement)
    {
        double metric = early.Metric == EarlyStoppingMetric.ValidationLoss
            ? report.ValidationLoss!.Value
            : -(report.ValidationAccuracy ?? throw new InvalidOperationException("Early stopping on accuracy needs validation targets that are labels (0 or 1)."));
        if (bestEpoch == 0 || metric < bestMetric - early.MinDelta)
        {
            bestMetric = metric;
            bestEpoch = report.Epoch;
            bestReport = report;
            epochsWithoutImprovement = 0;
            if (best is not null)
            {
                parameters.CopyTo(best, 0);
            }
            return false;
        }
        return ++epochsWithoutImprovement >= early.Patience;
    }

    /// <summary>The end of a training: the last epoch's time, the best parameters put back, the result.</summary>
    private TrainingResult Finish(
        DataSet training, EpochClock clock, bool watched, EpochHistory? history, EpochReport lastReport, EpochReport bestReport,
        int epochsRun, int bestEpoch, float[]? best, float[] parameters, bool stoppedEarly, bool cancelled)
    {
        if (epochsRun > 0 && !watched && !clock.WasReadAt(epochsRun))
        {
            // The last epoch's time, read now rather than carried from an earlier epoch.
            lastReport = lastReport with { Elapsed = clock.Now() };
            history?.SetLastElapsed(lastReport.Elapsed);
        }
        EpochReport final = epochsRun > 0 ? lastReport : InitialReport(training);
        if (best is not null && bestEpoch > 0 && bestEpoch != epochsRun)
        {
            best.CopyTo(parameters, 0);
            final = bestReport;
        }
        IReadOnlyList<EpochReport> reports = history is not null ? history : (epochsRun > 0 ? [final] : []);
        return new TrainingResult(final, reports, bestEpoch, stoppedEarly, cancelled);
    }

    /// <summary>The report of a training that ran no epoch: the network as it was given.</summary>
    private EpochReport InitialReport(DataSet training)
    {
        (float loss, float? accuracy) = Measure(training);
        return new EpochReport(0, loss, accuracy)
        {
            Penalty = _options.Regularization?.Penalty(_network.Parameters, TNetwork.Layers, training.Count) ?? 0f,
            LearningRate = LearningRate,
        };
    }

    /// <summary>
    /// The mean loss of the network as training starts, the scale the divergence check measures the loss against: over
    /// the whole training data when it is small, else over <see cref="StartLossSamples"/> samples spread evenly across it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double StartLoss(DataSet training)
    {
        int count = Math.Min(training.Count, StartLossSamples);
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            int sample = (int)((long)i * training.Count / count);
            sum += TNetwork.Evaluate(_network.Parameters, training.GetFeatures(sample), training.GetTargets(sample), _output);
        }
        return sum / count;
    }

    /// <summary>
    /// Whether the divergence check takes its start loss from the first batch instead of <see cref="StartLoss"/>: for
    /// full-batch training of a network whose batch step is fused (small dense layers, no dropout) and with no penalty,
    /// the first batch's loss is that same mean over the same samples with the same parameters, and evaluating it apart
    /// would compile the per-sample forward pass, which such a training never runs otherwise: a third of W1's first
    /// training in a fresh process (32 ms against 22).
    /// </summary>
    private bool StartsFromTheFirstBatch(DataSet training)
        => TNetwork.FusesBatchSgdStep && _options.Regularization is null
           && _options.BatchSize >= training.Count && training.Count <= StartLossSamples;

    /// <summary>How many samples <see cref="StartLoss"/> evaluates at most: enough to know the loss's scale, a fraction of an epoch's work.</summary>
    private const int StartLossSamples = 1024;

    /// <summary>
    /// One step of gradient descent on the samples at <paramref name="sampleIndices"/>: sums their gradients (dropping
    /// units where the network declares dropout), divides by their count, adds the regularization gradient (with m
    /// the number of samples in <paramref name="data"/>), clips, and lets the optimizer update the parameters.
    /// </summary>
    /// <returns>The mean loss of the batch before the step.</returns>
    /// <exception cref="TrainingDivergedException">
    /// The batch's loss or gradient is not finite; the parameters are left as they were. Its
    /// <see cref="TrainingDivergedException.Epoch"/> and <see cref="TrainingDivergedException.Batch"/> are null: outside
    /// <see cref="Train"/>, the trainer does not know them.
    /// </exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float TrainBatch(DataSet data, ReadOnlySpan<int> sampleIndices)
    {
        CheckShape(data);
        if (!TryTrainBatch(data, sampleIndices, out float loss))
        {
            throw TrainingDivergedException.NotFinite(epoch: null, batch: null, loss, "The parameters are left as they were before the batch.");
        }
        return loss;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryTrainBatch(DataSet data, ReadOnlySpan<int> sampleIndices, out float meanLoss)
    {
        if (sampleIndices.IsEmpty)
        {
            throw new ArgumentException("A batch needs at least one sample.", nameof(sampleIndices));
        }
        if (_fusedSgdStep && sampleIndices.Length == 1)
        {
            int sample = sampleIndices[0];
            meanLoss = TNetwork.SgdStep(_network.Parameters, data.GetFeatures(sample), data.GetTargets(sample), (float)LearningRate, ref _random);
            if (!float.IsFinite(meanLoss))
            {
                return false;
            }
            _optimizer.CountFusedStep();
            return true;
        }
        if (_fusedBatchStep && sampleIndices.Length <= ChunkSize && SparseTable is null)
        {
            // The network's own step keeps the gradient in registers: the same bits as the mean and Sgd.Step below.
            ReadOnlySpan<float> inputs = Rows(data, sampleIndices, _batchInputs, _batchTargets, out ReadOnlySpan<float> targets);
            meanLoss = TNetwork.SgdBatchStep(_network.Parameters, inputs, targets, (float)LearningRate) / sampleIndices.Length;
            LastBatchThreads = 1;
            if (!float.IsFinite(meanLoss))
            {
                return false;
            }
            _optimizer.CountFusedStep();
            return true;
        }
        Span<float> gradient = _gradient;
        ReadOnlySpan<float> parameters = _network.Parameters;
        float lossSum = MeanBatchGradient(data, sampleIndices, out double squaredNorm);
        meanLoss = lossSum / sampleIndices.Length;
        if (!float.IsFinite(meanLoss))
        {
            return false;
        }
        if (_options.Regularization is { } regularization)
        {
            regularization.AddGradient(parameters, gradient, TNetwork.Layers, data.Count);
            squaredNorm = SquaredNorm(gradient);
        }
        if (!double.IsFinite(squaredNorm))
        {
            return false;
        }
        if (_options.MaxGradientNorm is { } maxNorm && Math.Sqrt(squaredNorm) > maxNorm)
        {
            ScaleGradient(gradient, (float)(maxNorm / (Math.Sqrt(squaredNorm) + 1e-6)));
        }
        StepOptimizer(gradient);
        return true;
    }

    /// <summary>Multiplies every value by <paramref name="scale"/> and returns the sum of the squares of the results.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double ScaleAndMeasure(Span<float> values, float scale)
    {
        var factor = new Vector<float>(scale);
        var squares = Vector<float>.Zero;
        ref float start = ref MemoryMarshal.GetReference(values);
        int i = 0;
        for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> v = Vector.LoadUnsafe(ref start, (nuint)i) * factor;
            v.StoreUnsafe(ref start, (nuint)i);
            squares += v * v;
        }
        double sum = Vector.Sum(squares);
        for (; i < values.Length; i++)
        {
            values[i] *= scale;
            sum += values[i] * values[i];
        }
        return sum;
    }

    private static double SquaredNorm(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += (double)v * v;
        }
        return sum;
    }

    /// <summary>
    /// The figures of the network over <paramref name="data"/> (no dropout): the mean loss and, where the targets are
    /// labels, the accuracy, confusion matrix, per-class and averaged precision, recall and F1, and for two classes the
    /// ROC AUC; where they are not, the mean squared and absolute errors and R^2.
    /// </summary>
    public EvaluationResult Evaluate(DataSet data)
    {
        CheckShape(data);
        int outputSize = TNetwork.OutputSize;
        var outputs = new float[data.Count * outputSize];
        double lossSum = 0;
        for (int i = 0; i < data.Count; i++)
        {
            lossSum += TNetwork.Evaluate(_network.Parameters, data.GetFeatures(i), data.GetTargets(i), outputs.AsSpan(i * outputSize, outputSize));
        }
        return EvaluationResult.FromOutputs(outputs, data.GetTargetRows(0, data.Count), outputSize, (float)(lossSum / data.Count));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (float Loss, float? Accuracy) Measure(DataSet data)
    {
        bool labelled = data.HasBinaryTargets;
        double lossSum = 0;
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            var target = data.GetTargets(i);
            lossSum += TNetwork.Evaluate(_network.Parameters, data.GetFeatures(i), target, _output);
            if (labelled && DataSet.IsCorrect(_output, target))
            {
                correct++;
            }
        }
        return ((float)(lossSum / data.Count), labelled ? (float)correct / data.Count : null);
    }

    private static void CheckShape(DataSet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureSize != TNetwork.InputSize || data.TargetSize != TNetwork.OutputSize)
        {
            throw new ArgumentException(
                $"{typeof(TNetwork).Name} takes {TNetwork.InputSize} features and {TNetwork.OutputSize} targets per sample; " +
                $"the data set has {data.FeatureSize} features and {data.TargetSize} targets.", nameof(data));
        }
    }
}
