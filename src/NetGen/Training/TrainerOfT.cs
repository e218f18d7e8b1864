using System.Diagnostics;
using System.Numerics;
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
