namespace NetGen;

/// <summary>How <see cref="Trainer{TNetwork}"/> trains: epochs, batches, learning rate, shuffling.</summary>
public sealed class TrainingOptions
{
    /// <summary>A <see cref="BatchSize"/> that puts the whole data set in one batch: plain (full-batch) gradient descent.</summary>
    public const int FullBatch = int.MaxValue;

    /// <summary>How many passes over the training data. The default is 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>
    /// How many samples' gradients are averaged for one step: 1 is per-sample stochastic gradient descent,
    /// <see cref="FullBatch"/> is full-batch gradient descent. The default is 32.
    /// </summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The step size eta. The default is 0.01.</summary>
    public float LearningRate { get; init; } = 0.01f;

    /// <summary>Whether the samples are put in a new random order at the start of every epoch. The default is true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The seed of the shuffling: the same seed and data give bitwise the same parameters.</summary>
    public int Seed { get; init; }

    /// <summary>The optimizer; <see langword="null"/> means <see cref="Sgd"/>.</summary>
    public Optimizer? Optimizer { get; init; }

    /// <summary>Called after every epoch with the loss and accuracy over the training data.</summary>
    public Action<EpochReport>? EpochCompleted { get; init; }

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
        if (!float.IsFinite(LearningRate) || LearningRate <= 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a finite number greater than 0.");
        }
    }
}

/// <summary>The state of training after an epoch.</summary>
/// <param name="Epoch">The epoch just finished, counting from 1 (0 before any training).</param>
/// <param name="Loss">The mean loss over the data set with the parameters at the end of the epoch.</param>
/// <param name="Accuracy">The fraction of samples predicted right, or null when the targets are not labels (0 or 1).</param>
public readonly record struct EpochReport(int Epoch, float Loss, float? Accuracy);

/// <summary>Thrown when the loss of a batch is NaN or infinite. The parameters keep the values of the last finite step.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the batch whose loss was not finite.</summary>
    public TrainingDivergedException(int epoch, int batch, float loss)
        : base($"Training diverged: the loss of batch {batch} in epoch {epoch} is {loss}. " +
               "The parameters hold the values of the last finite step. Check the data for NaN or infinite values, or lower the learning rate.")
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>The epoch (from 1) in which the loss stopped being finite.</summary>
    public int Epoch { get; }

    /// <summary>The batch (from 1, within the epoch) whose loss was not finite.</summary>
    public int Batch { get; }

    /// <summary>The loss that was not finite.</summary>
    public float Loss { get; }
}

/// <summary>Shortcuts for training a network with <see cref="Trainer{TNetwork}"/>.</summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="network"/> on <paramref name="data"/> and returns the report after the last epoch.</summary>
    public static EpochReport Train<TNetwork>(TNetwork network, DataSet data, TrainingOptions options)
        where TNetwork : class, INetwork<TNetwork>
        => new Trainer<TNetwork>(network, options).Fit(data);

    /// <summary>The mean loss and the accuracy of <paramref name="network"/> over <paramref name="data"/>.</summary>
    public static EpochReport Evaluate<TNetwork>(TNetwork network, DataSet data)
        where TNetwork : class, INetwork<TNetwork>
        => new Trainer<TNetwork>(network, new TrainingOptions()).Evaluate(data);
}

/// <summary>
/// Trains a generated network by mini-batch gradient descent: each step averages the gradients of a batch of samples
/// (computed by the network's generated backward pass) and hands the mean to the optimizer. Holds every buffer it
/// needs, so a step allocates nothing.
/// </summary>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
public sealed class Trainer<TNetwork> where TNetwork : class, INetwork<TNetwork>
{
    private readonly TNetwork _network;
    private readonly TrainingOptions _options;
    private readonly Optimizer _optimizer;
    private readonly float[] _gradient = new float[TNetwork.ParameterCount];
    private readonly float[] _output = new float[TNetwork.OutputSize];
    private DeterministicRandom _random;

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
    }

    /// <summary>The network being trained.</summary>
    public TNetwork Network => _network;

    /// <summary>Runs <see cref="TrainingOptions.Epochs"/> epochs over <paramref name="data"/>.</summary>
    /// <returns>The loss and accuracy over <paramref name="data"/> after the last epoch.</returns>
    /// <exception cref="TrainingDivergedException">A batch's loss was NaN or infinite.</exception>
    public EpochReport Fit(DataSet data)
    {
        CheckShape(data);
        int[] order = new int[data.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        int batchSize = Math.Min(_options.BatchSize, data.Count);
        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            if (_options.Shuffle)
            {
                _random.Shuffle(order.AsSpan());
            }
            int batch = 0;
            for (int start = 0; start < order.Length; start += batchSize)
            {
                batch++;
                var indices = order.AsSpan(start, Math.Min(batchSize, order.Length - start));
                float loss = TrainBatch(data, indices);
                if (!float.IsFinite(loss))
                {
                    throw new TrainingDivergedException(epoch, batch, loss);
                }
            }
            _options.EpochCompleted?.Invoke(Evaluate(data) with { Epoch = epoch });
        }
        return Evaluate(data) with { Epoch = _options.Epochs };
    }

    /// <summary>
    /// One step of gradient descent on the samples at <paramref name="sampleIndices"/>: sums their gradients, divides
    /// by their count and lets the optimizer update the parameters. When the batch's loss is not finite the
    /// parameters are left as they were.
    /// </summary>
    /// <returns>The mean loss of the batch before the step.</returns>
    public float TrainBatch(DataSet data, ReadOnlySpan<int> sampleIndices)
    {
        CheckShape(data);
        if (sampleIndices.IsEmpty)
        {
            throw new ArgumentException("A batch needs at least one sample.", nameof(sampleIndices));
        }
        Span<float> gradient = _gradient;
        ReadOnlySpan<float> parameters = _network.Parameters;
        gradient.Clear();
        float lossSum = 0f;
        foreach (int index in sampleIndices)
        {
            lossSum += TNetwork.AccumulateGradient(parameters, data.GetFeatures(index), data.GetTargets(index), gradient);
        }
        float meanLoss = lossSum / sampleIndices.Length;
        if (float.IsFinite(meanLoss))
        {
            float scale = 1f / sampleIndices.Length;
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] *= scale;
            }
            _optimizer.Step(_network.Parameters, gradient, _options.LearningRate);
        }
        return meanLoss;
    }

    /// <summary>The mean loss over <paramref name="data"/> and, where its targets are labels, the accuracy.</summary>
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
        return new EpochReport(0, (float)(lossSum / data.Count), labelled ? (float)correct / data.Count : null);
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
