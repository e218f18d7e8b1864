namespace NetGen;

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
