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
    public double LearningRate { get; init; } = 0.01;

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
    public double? MaxGradientNorm { get; init; }

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

    /// <summary>
    /// Told of every epoch's <see cref="EpochReport"/>: <see cref="IProgress{T}.Report"/> is called on the training
    /// thread when the epoch ends, before the next one starts. (<see cref="Progress{T}"/> instead posts each report to
    /// the captured synchronization context, or to the thread pool where there is none, so that reports may arrive
    /// after <see cref="Trainer.Train{TNetwork}"/> has returned; implement <see cref="IProgress{T}"/> to handle them in line.)
    /// </summary>
    public IProgress<EpochReport>? Progress { get; init; }

    /// <summary>
    /// Whether <see cref="TrainingResult.History"/> keeps the report of every epoch. Its storage is allocated once when
    /// training starts, by columns: 12 bytes per epoch (the loss and the time), and the other figures once for each
    /// stretch of epochs over which they stay the same (every epoch when they change every epoch, as a validation loss
    /// does); it is the only memory that grows with the number of epochs. When false, the history holds only the final report, and training allocates nothing
    /// that depends on the number of epochs (the reports still reach <see cref="Progress"/>). The default is true.
    /// </summary>
    public bool KeepHistory { get; init; } = true;

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
        if (!double.IsFinite(LearningRate) || LearningRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a finite number, 0 or more.");
        }
        if (MaxGradientNorm is { } norm && !(norm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxGradientNorm), norm, "MaxGradientNorm must be greater than 0.");
        }
        if (!(ValidationSplit >= 0 && ValidationSplit < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationSplit), ValidationSplit, "ValidationSplit must be in [0, 1).");
        }
        if (EarlyStopping is { } early && !(early.MinDelta >= 0 && double.IsFinite(early.MinDelta)))
        {
            throw new ArgumentOutOfRangeException(nameof(EarlyStopping), early.MinDelta, "EarlyStopping.MinDelta must be a finite number, 0 or more.");
        }
        if (EarlyStopping is { Patience: < 1 })
        {
            throw new ArgumentOutOfRangeException(nameof(EarlyStopping), EarlyStopping.Patience, "EarlyStopping.Patience must be at least 1.");
        }
    }
}
