namespace NetGen;

/// <summary>
/// What a <see cref="HyperparameterSearch"/> chooses from: the network classes, and named hyperparameters that the
/// options factory turns into <see cref="TrainingOptions"/>, so that anything in them can be searched (the learning
/// rate, the batch size, the optimizer, the regularization...).
/// </summary>
/// <example>
/// <code>
/// var space = new SearchSpace(p => new TrainingOptions { LearningRate = p.Get&lt;double&gt;("LearningRate"), BatchSize = p.Get&lt;int&gt;("BatchSize"), Epochs = 30 })
///     .AddNetwork&lt;SmallNet&gt;().AddNetwork&lt;WideNet&gt;()
///     .AddLogUniform("LearningRate", 1e-4, 1e-1)
///     .Add("BatchSize", 16, 32, 64);
/// </code>
/// </example>
public sealed class SearchSpace
{
    private readonly List<ModelCandidate> _networks = [];
    private readonly List<SearchDimension> _dimensions = [];

    /// <summary>A search space whose trials are trained with the options <paramref name="options"/> makes from their hyperparameters.</summary>
    /// <param name="options">
    /// Makes a training's options from its trial's values: called once per training (per trial, and per fold of a
    /// cross-validated search), possibly on several threads at once. Create the optimizer inside it (<c>Optimizer = new Adam()</c>):
    /// an optimizer keeps state for one network, and one handed to two trainings is refused.
    /// </param>
    public SearchSpace(Func<Hyperparameters, TrainingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>Makes a trial's training options from its hyperparameters.</summary>
    public Func<Hyperparameters, TrainingOptions> Options { get; }

    /// <summary>The network classes searched over.</summary>
    public IReadOnlyList<ModelCandidate> Networks => _networks;

    /// <summary>The names of the hyperparameters, in the order they were added.</summary>
    public IReadOnlyList<string> Names => [.. _dimensions.Select(d => d.Name)];

    /// <summary>The number of trials of a grid search: the networks times the values of each hyperparameter; 0 when a continuous range makes a grid impossible.</summary>
    public int GridSize
    {
        get
        {
            long size = _networks.Count;
            foreach (SearchDimension dimension in _dimensions)
            {
                size *= dimension.GridCount;
            }
            return (int)Math.Min(size, int.MaxValue);
        }
    }

    /// <summary>Adds network class <typeparamref name="TNetwork"/> to the candidates.</summary>
    public SearchSpace AddNetwork<TNetwork>(string? name = null) where TNetwork : class, INetwork<TNetwork>, new()
        => AddNetwork(ModelCandidate.Of<TNetwork>(name));

    /// <summary>Adds a network class to the candidates.</summary>
    /// <exception cref="ArgumentException">A candidate of the same name is already there.</exception>
    public SearchSpace AddNetwork(ModelCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (_networks.Any(n => n.Name == candidate.Name))
        {
            throw new ArgumentException($"The search space already has a network named \"{candidate.Name}\"; give this one another name.", nameof(candidate));
        }
        _networks.Add(candidate);
        return this;
    }

    /// <summary>Adds hyperparameter <paramref name="name"/>, chosen from <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">There are no values, or the name is taken.</exception>
    public SearchSpace Add<T>(string name, params T[] values) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            throw new ArgumentException($"Hyperparameter \"{name}\" needs at least one value.", nameof(values));
        }
        return AddDimension(new ChoiceDimension(name, [.. values.Select(v => (object)v)]));
    }

    /// <summary>Adds hyperparameter <paramref name="name"/>, a <see cref="double"/> drawn uniformly from [<paramref name="min"/>, <paramref name="max"/>) (random search only).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The bounds are not finite or <paramref name="max"/> is not above <paramref name="min"/>.</exception>
    public SearchSpace AddUniform(string name, double min, double max)
    {
        CheckRange(min, max, logarithmic: false);
        return AddDimension(new RangeDimension(name, min, max, logarithmic: false));
    }

    /// <summary>
    /// Adds hyperparameter <paramref name="name"/>, a <see cref="double"/> drawn log-uniformly from [<paramref name="min"/>,
    /// <paramref name="max"/>): each factor of ten as likely as the next, as a learning rate or a regularization strength
    /// should be searched (random search only).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The bounds are not finite and positive, or <paramref name="max"/> is not above <paramref name="min"/>.</exception>
    public SearchSpace AddLogUniform(string name, double min, double max)
    {
        CheckRange(min, max, logarithmic: true);
        return AddDimension(new RangeDimension(name, min, max, logarithmic: true));
    }

    private static void CheckRange(double min, double max, bool logarithmic)
    {
        if (!double.IsFinite(min) || (logarithmic && !(min > 0)))
        {
            throw new ArgumentOutOfRangeException(nameof(min), min, logarithmic ? "The lower bound of a log-uniform range must be a finite number above 0." : "The lower bound must be a finite number.");
        }
        if (!double.IsFinite(max) || !(max > min))
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"The upper bound must be a finite number above the lower bound {min}.");
        }
    }

    private SearchSpace AddDimension(SearchDimension dimension)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dimension.Name, "name");
        if (_dimensions.Any(d => d.Name == dimension.Name))
        {
            throw new ArgumentException($"The search space already has a hyperparameter named \"{dimension.Name}\".", "name");
        }
        _dimensions.Add(dimension);
        return this;
    }

    /// <summary>The trials of a grid search, networks varying slowest and the last hyperparameter fastest.</summary>
    internal List<(ModelCandidate Network, Hyperparameters Values)> Grid()
    {
        CheckNetworks();
        foreach (SearchDimension dimension in _dimensions)
        {
            if (dimension.GridCount == 0)
            {
                dimension.At(0); // throws the message that says why
            }
        }
        var trials = new List<(ModelCandidate, Hyperparameters)>();
        int[] position = new int[_dimensions.Count];
        foreach (ModelCandidate network in _networks)
        {
            Array.Clear(position);
            while (true)
            {
                var values = new KeyValuePair<string, object>[_dimensions.Count];
                for (int d = 0; d < values.Length; d++)
                {
                    values[d] = new(_dimensions[d].Name, _dimensions[d].At(position[d]));
                }
                trials.Add((network, new Hyperparameters(network.Name, values)));
                int carry = _dimensions.Count - 1;
                while (carry >= 0 && ++position[carry] == _dimensions[carry].GridCount)
                {
                    position[carry--] = 0;
                }
                if (carry < 0)
                {
                    break;
                }
            }
        }
        return trials;
    }

    /// <summary><paramref name="count"/> trials drawn at random with <paramref name="seed"/>: a network, then each hyperparameter.</summary>
    internal List<(ModelCandidate Network, Hyperparameters Values)> Draw(int count, int seed)
    {
        CheckNetworks();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var random = new DeterministicRandom(seed);
        var trials = new List<(ModelCandidate, Hyperparameters)>(count);
        for (int t = 0; t < count; t++)
        {
            ModelCandidate network = _networks[random.NextInt32(_networks.Count)];
            var values = new KeyValuePair<string, object>[_dimensions.Count];
            for (int d = 0; d < values.Length; d++)
            {
                values[d] = new(_dimensions[d].Name, _dimensions[d].Draw(ref random));
            }
            trials.Add((network, new Hyperparameters(network.Name, values)));
        }
        return trials;
    }

    private void CheckNetworks()
    {
        if (_networks.Count == 0)
        {
            throw new InvalidOperationException("The search space has no network: add one with AddNetwork<TNetwork>().");
        }
    }
}
