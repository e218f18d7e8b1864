namespace NetGen;

/// <summary>One hyperparameter of a <see cref="SearchSpace"/>: a list of values, or a range to draw from.</summary>
internal abstract class SearchDimension(string name)
{
    public string Name { get; } = name;

    /// <summary>The number of values a grid takes; 0 for a continuous range, which a grid cannot enumerate.</summary>
    public abstract int GridCount { get; }

    public abstract object At(int index);

    public abstract object Draw(ref DeterministicRandom random);
}

/// <summary>A hyperparameter chosen from a list of values.</summary>
internal sealed class ChoiceDimension(string name, object[] values) : SearchDimension(name)
{
    public override int GridCount => values.Length;

    public override object At(int index) => values[index];

    public override object Draw(ref DeterministicRandom random) => values[random.NextInt32(values.Length)];
}

/// <summary>A hyperparameter drawn uniformly from [min, max), or log-uniformly (uniform in its logarithm).</summary>
internal sealed class RangeDimension(string name, double min, double max, bool logarithmic) : SearchDimension(name)
{
    public override int GridCount => 0;

    public override object At(int index) => throw new InvalidOperationException(
        $"Hyperparameter \"{Name}\" is a continuous range, which a grid search cannot enumerate: give it a list of values with SearchSpace.Add, or use a random search.");

    public override object Draw(ref DeterministicRandom random)
    {
        double u = (random.NextUInt32() >> 5) * (1.0 / (1 << 27)); // 27 random bits in [0, 1)
        return logarithmic ? Math.Exp(Math.Log(min) + u * (Math.Log(max) - Math.Log(min))) : min + u * (max - min);
    }
}
