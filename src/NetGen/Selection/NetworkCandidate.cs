namespace NetGen;

/// <summary>The <see cref="ModelCandidate"/> of one generated network class.</summary>
internal sealed class NetworkCandidate<TNetwork>(string name, Func<TNetwork> create) : ModelCandidate(name)
    where TNetwork : class, INetwork<TNetwork>
{
    public override int ParameterCount => TNetwork.ParameterCount;

    public override int InputSize => TNetwork.InputSize;

    public override int OutputSize => TNetwork.OutputSize;

    internal override TrialRun Run(DataSet training, DataSet validation, TrainingOptions options, int initializationSeed, bool evaluateTraining, CancellationToken cancellationToken)
    {
        TNetwork network = create() ?? throw new InvalidOperationException($"The factory of candidate {Name} returned null.");
        TNetwork.InitializeParameters(network.Parameters, initializationSeed);
        var trainer = new Trainer<TNetwork>(network, options);
        TrainingResult result = trainer.Train(training, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return new TrialRun(result, trainer.Evaluate(validation), evaluateTraining ? trainer.Evaluate(training) : null);
    }
}
