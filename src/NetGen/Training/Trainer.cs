namespace NetGen;

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
