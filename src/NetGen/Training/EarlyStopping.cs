namespace NetGen;

/// <summary>
/// Stops training when the validation metric has not improved by at least <see cref="MinDelta"/> for
/// <see cref="Patience"/> epochs in a row, and by default puts back the parameters of the best epoch.
/// </summary>
public sealed class EarlyStopping
{
    /// <summary>The metric watched. The default is the validation loss.</summary>
    public EarlyStoppingMetric Metric { get; init; } = EarlyStoppingMetric.ValidationLoss;

    /// <summary>How many epochs without improvement are tolerated. The default is 10.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>The smallest change that counts as an improvement. The default is 0.</summary>
    public double MinDelta { get; init; }

    /// <summary>Whether the parameters of the best epoch are restored at the end. The default is true.</summary>
    public bool RestoreBestParameters { get; init; } = true;
}
