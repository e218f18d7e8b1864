using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>How <see cref="Trainer{TNetwork}"/> trains: epochs, batches, learning rate, regularization, validation.</summary>
public sealed class TrainingOptions
{
    /// <summary>A <see cref="BatchSize"/> that puts the whole data set in one batch: plain (full-batch) gradient descent.</summary>
    public const int FullBatch = int.MaxValue;

    /// <summary>How many passes over the training data (at most, with early stopping). The default is 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>
    /// How many samples' gradients are averaged for one step: 1 is per-sample stochastic gradient descent,
    /// <see cref="FullBatch"/> is full-batch gradient descent. The default is 32.
    /// </summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The step size eta (the initial one, under a <see cref="Schedule"/>). The default is 0.01.</summary>
    public float LearningRate { get; init; } = 0.01f;

    /// <summary>How the learning rate changes from epoch to epoch; <see langword="null"/> keeps it constant.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Whether the samples are put in a new random order at the start of every epoch. The default is true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The seed of shuffling, dropout and the validation split: the same seed and data give bitwise the same parameters.</summary>
    public int Seed { get; init; }

    /// <summary>The optimizer; <see langword="null"/> means plain <see cref="Sgd"/>.</summary>
    public Optimizer? Optimizer { get; init; }

    /// <summary>An L1 or L2 penalty added to the cost; <see langword="null"/> for none.</summary>
    public Regularization? Regularization { get; init; }

    /// <summary>
    /// When set, a batch's mean gradient whose Euclidean norm exceeds this is scaled down to it (as
    /// <c>torch.nn.utils.clip_grad_norm_</c>).
    /// </summary>
    public float? MaxGradientNorm { get; init; }

    /// <summary>Data to validate on after every epoch (never trained on). Overrides <see cref="ValidationSplit"/>.</summary>
    public DataSet? ValidationData { get; init; }

    /// <summary>The fraction of the training data split off (with <see cref="Seed"/>) to validate on, when no <see cref="ValidationData"/> is given.</summary>
    public double ValidationSplit { get; init; }

    /// <summary>Stops training when the validation metric stops improving; needs validation data.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>
    /// Whether every epoch ends with a pass over the training data (dropout off) to report its loss and accuracy.
    /// When false, the reported training loss is the mean of the epoch's batch losses and no training accuracy is
    /// reported: cheaper on large data. The default is true.
    /// </summary>
    public bool EvaluateTrainingData { get; init; } = true;

    /// <summary>
    /// How many threads compute a batch's gradient: the calling thread and up to <c>Threads - 1</c> background
    /// workers, shared by every trainer in the process. The results are bitwise the same for every value: a batch of
    /// more than 32 samples is always cut into the same chunks, whose gradients are added up in a fixed order,
    /// whichever thread computed them. Small networks and batches stay on the calling thread, where waking another
    /// would cost more than it saves. The default is 1.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>Called after every epoch.</summary>
    public Action<EpochReport>? EpochCompleted { get; init; }

    /// <summary>Told after every epoch.</summary>
    public IProgress<EpochReport>? Progress { get; init; }

    internal void Validate()
    {
        if (Epochs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be 0 or more.");
        }
        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1 (TrainingOptions.FullBatch for the whole data set).");
        }
        if (Threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be at least 1.");
        }
        if (!float.IsFinite(LearningRate) || LearningRate < 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a finite number, 0 or more.");
        }
        if (MaxGradientNorm is { } norm && !(norm > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxGradientNorm), norm, "MaxGradientNorm must be greater than 0.");
        }
        if (!(ValidationSplit >= 0 && ValidationSplit < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationSplit), ValidationSplit, "ValidationSplit must be in [0, 1).");
        }
        if (EarlyStopping is { Patience: < 1 })
        {
            throw new ArgumentOutOfRangeException(nameof(EarlyStopping), EarlyStopping.Patience, "EarlyStopping.Patience must be at least 1.");
        }
    }
}

/// <summary>The state of training after an epoch.</summary>
/// <param name="Epoch">The epoch just finished, counting from 1 (0 for an evaluation outside training).</param>
/// <param name="Loss">The mean loss over the training data, without the regularization penalty (see <see cref="Penalty"/>).</param>
/// <param name="Accuracy">The fraction of training samples predicted right, or null when the targets are not labels (0 or 1).</param>
public readonly record struct EpochReport(int Epoch, float Loss, float? Accuracy)
{
    /// <summary>The regularization penalty lambda/(2m) sum |theta| or theta^2 at the end of the epoch; 0 without regularization.</summary>
    public float Penalty { get; init; }

    /// <summary>The cost gradient descent minimizes: <see cref="Loss"/> plus <see cref="Penalty"/>.</summary>
    public float Cost => Loss + Penalty;

    /// <summary>The mean loss over the validation data, when there is any.</summary>
    public float? ValidationLoss { get; init; }

    /// <summary>The fraction of validation samples predicted right, when there are validation data with labels.</summary>
    public float? ValidationAccuracy { get; init; }

    /// <summary>The learning rate used in this epoch.</summary>
    public float LearningRate { get; init; }

    /// <summary>The time since training started.</summary>
    public TimeSpan Elapsed { get; init; }
}

/// <summary>What <see cref="Trainer{TNetwork}.Fit"/> did.</summary>
/// <param name="Final">The report of the last epoch run (with the best parameters' validation figures when they were restored).</param>
/// <param name="History">One report per epoch run.</param>
/// <param name="BestEpoch">The epoch with the best validation metric (or the last epoch, without early stopping).</param>
/// <param name="StoppedEarly">True when early stopping ended training before the last epoch.</param>
public sealed record TrainingResult(EpochReport Final, IReadOnlyList<EpochReport> History, int BestEpoch, bool StoppedEarly)
{
    /// <summary>The final training loss.</summary>
    public float Loss => Final.Loss;

    /// <summary>The final training accuracy, when the targets are labels.</summary>
    public float? Accuracy => Final.Accuracy;
}

/// <summary>Thrown when the loss or gradient of a batch is NaN or infinite. The parameters keep the values of the last finite step.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the batch whose loss or gradient was not finite.</summary>
    public TrainingDivergedException(int epoch, int batch, float loss)
        : base($"Training diverged: the {(float.IsFinite(loss) ? "gradient" : "loss")} of batch {batch} in epoch {epoch} is not finite (loss {loss}). " +
               "The parameters hold the values of the last finite step. Check the data for NaN or infinite values, or lower the learning rate.")
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>The epoch (from 1) in which training diverged.</summary>
    public int Epoch { get; }

    /// <summary>The batch (from 1, within the epoch) whose loss or gradient was not finite.</summary>
    public int Batch { get; }

    /// <summary>The batch's mean loss.</summary>
    public float Loss { get; }
}

/// <summary>Shortcuts for training a network with <see cref="Trainer{TNetwork}"/>.</summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="network"/> on <paramref name="data"/> with <paramref name="options"/>.</summary>
    public static TrainingResult Train<TNetwork>(TNetwork network, DataSet data, TrainingOptions options, CancellationToken cancellationToken = default)
        where TNetwork : class, INetwork<TNetwork>
        => new Trainer<TNetwork>(network, options).Fit(data, cancellationToken);

    /// <summary>The mean loss and the accuracy of <paramref name="network"/> over <paramref name="data"/>.</summary>
    public static EpochReport Evaluate<TNetwork>(TNetwork network, DataSet data)
        where TNetwork : class, INetwork<TNetwork>
        => new Trainer<TNetwork>(network, new TrainingOptions()).Evaluate(data);
}

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
    private DeterministicRandom _random;

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
    }

    /// <summary>The network being trained.</summary>
    public TNetwork Network => _network;

    /// <summary>The optimizer, with its state.</summary>
    public Optimizer Optimizer => _optimizer;

    /// <summary>The learning rate the next step uses; <see cref="Fit"/> sets it every epoch from the schedule.</summary>
    public float LearningRate { get; set; }

    /// <summary>Trains on <paramref name="training"/>, validating on <see cref="TrainingOptions.ValidationData"/> or a split of it.</summary>
    /// <exception cref="TrainingDivergedException">A batch's loss or gradient was NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the parameters are those of the last step.</exception>
    public TrainingResult Fit(DataSet training, CancellationToken cancellationToken = default)
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

        var clock = Stopwatch.StartNew();
        var history = new List<EpochReport>(_options.Epochs);
        float[]? best = early is { RestoreBestParameters: true } ? (float[])_network.Parameters.Clone() : null;
        double bestMetric = double.NaN;
        int bestEpoch = 0, epochsWithoutImprovement = 0;
        bool stoppedEarly = false;
        int[] order = new int[training.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        int batchSize = Math.Min(_options.BatchSize, training.Count);
        LearningRateSchedule schedule = _options.Schedule ?? LearningRateSchedule.Constant;

        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            LearningRate = schedule.RateAt(epoch, _options.LearningRate);
            if (_options.Shuffle)
            {
                _random.Shuffle(order.AsSpan());
            }
            double lossSum = 0;
            int batch = 0;
            for (int start = 0; start < order.Length; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                batch++;
                var indices = order.AsSpan(start, Math.Min(batchSize, order.Length - start));
                if (!TryTrainBatch(training, indices, out float loss))
                {
                    throw new TrainingDivergedException(epoch, batch, loss);
                }
                lossSum += loss * indices.Length;
            }

            EpochReport report = _options.EvaluateTrainingData
                ? Evaluate(training)
                : new EpochReport(0, (float)(lossSum / training.Count), null);
            report = report with
            {
                Epoch = epoch,
                Penalty = _options.Regularization?.Penalty(_network.Parameters, TNetwork.Layers, training.Count) ?? 0f,
                LearningRate = LearningRate,
            };
            if (validation is not null)
            {
                EpochReport validated = Evaluate(validation);
                report = report with { ValidationLoss = validated.Loss, ValidationAccuracy = validated.Accuracy };
            }
            report = report with { Elapsed = clock.Elapsed };
            history.Add(report);
            _options.EpochCompleted?.Invoke(report);
            _options.Progress?.Report(report);

            if (early is null)
            {
                bestEpoch = epoch;
                continue;
            }
            double metric = early.Metric == EarlyStoppingMetric.ValidationLoss
                ? report.ValidationLoss!.Value
                : -(report.ValidationAccuracy ?? throw new InvalidOperationException("Early stopping on accuracy needs validation targets that are labels (0 or 1)."));
            if (bestEpoch == 0 || metric < bestMetric - early.MinDelta)
            {
                bestMetric = metric;
                bestEpoch = epoch;
                epochsWithoutImprovement = 0;
                if (best is not null)
                {
                    _network.Parameters.CopyTo(best, 0);
                }
            }
            else if (++epochsWithoutImprovement >= early.Patience)
            {
                stoppedEarly = epoch < _options.Epochs;
                break;
            }
        }

        EpochReport final = history.Count > 0 ? history[^1] : Evaluate(training);
        if (best is not null && bestEpoch > 0 && bestEpoch != history.Count)
        {
            best.CopyTo(_network.Parameters, 0);
            final = history[bestEpoch - 1];
        }
        return new TrainingResult(final, history, bestEpoch, stoppedEarly);
    }

    /// <summary>
    /// One step of gradient descent on the samples at <paramref name="sampleIndices"/>: sums their gradients (dropping
    /// units where the network declares dropout), divides by their count, adds the regularization gradient (with m
    /// the number of samples in <paramref name="data"/>), clips, and lets the optimizer update the parameters.
    /// </summary>
    /// <returns>The mean loss of the batch before the step.</returns>
    /// <exception cref="TrainingDivergedException">The batch's loss or gradient is not finite; the parameters are left as they were.</exception>
    public float TrainBatch(DataSet data, ReadOnlySpan<int> sampleIndices)
    {
        CheckShape(data);
        if (!TryTrainBatch(data, sampleIndices, out float loss))
        {
            throw new TrainingDivergedException(0, 0, loss);
        }
        return loss;
    }

    private bool TryTrainBatch(DataSet data, ReadOnlySpan<int> sampleIndices, out float meanLoss)
    {
        if (sampleIndices.IsEmpty)
        {
            throw new ArgumentException("A batch needs at least one sample.", nameof(sampleIndices));
        }
        if (_fusedSgdStep && sampleIndices.Length == 1)
        {
            int sample = sampleIndices[0];
            meanLoss = TNetwork.SgdStep(_network.Parameters, data.GetFeatures(sample), data.GetTargets(sample), LearningRate, ref _random);
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
            ScaleAndMeasure(gradient, (float)(maxNorm / (Math.Sqrt(squaredNorm) + 1e-6)));
        }
        StepOptimizer(gradient);
        return true;
    }

    /// <summary>Multiplies every value by <paramref name="scale"/> and returns the sum of the squares of the results.</summary>
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

    /// <summary>The mean loss over <paramref name="data"/> and, where its targets are labels, the accuracy (no dropout).</summary>
    public EpochReport Evaluate(DataSet data)
    {
        CheckShape(data);
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
        return new EpochReport(0, (float)(lossSum / data.Count), labelled ? (float)correct / data.Count : null) { LearningRate = LearningRate };
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
