namespace NetGen;

/// <summary>
/// A network class to train and measure, known without its type: what cross-validation, hyperparameter search and
/// learning curves create fresh networks from, so that one search can compare several network classes.
/// </summary>
public abstract class ModelCandidate
{
    private protected ModelCandidate(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The name shown in results: the network class's name unless given.</summary>
    public string Name { get; }

    /// <summary>The number of parameters of the network.</summary>
    public abstract int ParameterCount { get; }

    /// <summary>The number of input features.</summary>
    public abstract int InputSize { get; }

    /// <summary>The number of outputs.</summary>
    public abstract int OutputSize { get; }

    /// <summary>A candidate of <typeparamref name="TNetwork"/>, created with its parameterless constructor.</summary>
    /// <param name="name">The name shown in results; the class's name when null.</param>
    public static ModelCandidate Of<TNetwork>(string? name = null) where TNetwork : class, INetwork<TNetwork>, new()
        => new NetworkCandidate<TNetwork>(name ?? typeof(TNetwork).Name, static () => new TNetwork());

    /// <summary>A candidate of <typeparamref name="TNetwork"/>, created by <paramref name="create"/>.</summary>
    /// <param name="create">Makes a new network; its parameters are initialized afresh after.</param>
    /// <param name="name">The name shown in results; the class's name when null.</param>
    public static ModelCandidate Of<TNetwork>(Func<TNetwork> create, string? name = null) where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(create);
        return new NetworkCandidate<TNetwork>(name ?? typeof(TNetwork).Name, create);
    }

    /// <summary>
    /// Creates a network, initializes its parameters from <paramref name="initializationSeed"/>, trains it on
    /// <paramref name="training"/> with <paramref name="options"/>, and evaluates it on <paramref name="validation"/>
    /// (and on the training data when <paramref name="evaluateTraining"/>).
    /// </summary>
    internal abstract TrialRun Run(DataSet training, DataSet validation, TrainingOptions options, int initializationSeed, bool evaluateTraining, CancellationToken cancellationToken);

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}

/// <summary>What one training of a <see cref="ModelCandidate"/> gave.</summary>
internal sealed record TrialRun(TrainingResult Training, EvaluationResult Validation, EvaluationResult? TrainingFigures);
