namespace NetGen;

/// <summary>What <see cref="Trainer{TNetwork}.Train"/> did.</summary>
/// <param name="Final">
/// The report of the epoch whose parameters the network holds: the last epoch run, or the best one when early stopping
/// restored its parameters.
/// </param>
/// <param name="History">
/// One report per epoch run, the epoch cut short by cancellation included; only <paramref name="Final"/> when
/// <see cref="TrainingOptions.KeepHistory"/> is false (empty when no epoch ran).
/// </param>
/// <param name="BestEpoch">The epoch with the best validation metric (or the last epoch, without early stopping); 0 when no epoch ran.</param>
/// <param name="StoppedEarly">True when early stopping ended training before the last epoch.</param>
/// <param name="Cancelled">
/// True when the cancellation token ended training before the last epoch. Training stops between two batches; the epoch
/// in progress ends there and is reported like any other, and early stopping's best parameters are restored when asked.
/// </param>
public sealed record TrainingResult(EpochReport Final, IReadOnlyList<EpochReport> History, int BestEpoch, bool StoppedEarly, bool Cancelled)
{
    /// <summary>The final training loss.</summary>
    public float Loss => Final.Loss;

    /// <summary>The final training accuracy, when the targets are labels.</summary>
    public float? Accuracy => Final.Accuracy;
}
