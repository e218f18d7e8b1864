namespace NetGen;

/// <summary>Shortcuts for training and evaluating a network with <see cref="Trainer{TNetwork}"/>.</summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="network"/> on <paramref name="data"/> with <paramref name="options"/>.</summary>
    /// <inheritdoc cref="Trainer{TNetwork}.Train" path="/exception"/>
    public static TrainingResult Train<TNetwork>(TNetwork network, DataSet data, TrainingOptions options, CancellationToken cancellationToken = default)
        where TNetwork : class, INetwork<TNetwork>
        => new Trainer<TNetwork>(network, options).Train(data, cancellationToken);

    /// <summary>
    /// The figures of <paramref name="network"/> over <paramref name="data"/> (no dropout): loss, and accuracy and the
    /// classification metrics or the regression metrics (see <see cref="EvaluationResult"/>).
    /// </summary>
    public static EvaluationResult Evaluate<TNetwork>(TNetwork network, DataSet data)
        where TNetwork : class, INetwork<TNetwork>
        => new Trainer<TNetwork>(network, new TrainingOptions()).Evaluate(data);
}
