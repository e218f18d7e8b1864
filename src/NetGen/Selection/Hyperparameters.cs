using System.Globalization;

namespace NetGen;

/// <summary>The values one trial of a <see cref="HyperparameterSearch"/> drew, by name, and the network it trains.</summary>
public sealed class Hyperparameters
{
    private readonly KeyValuePair<string, object>[] _values;

    internal Hyperparameters(string network, KeyValuePair<string, object>[] values)
    {
        Network = network;
        _values = values;
    }

    /// <summary>The name of the network class the trial trains.</summary>
    public string Network { get; }

    /// <summary>Every value, in the order the search space declares them.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Values => _values;

    /// <summary>The value of <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The search space declares no such name; the message lists those it does.</exception>
    public object this[string name]
    {
        get
        {
            foreach (KeyValuePair<string, object> pair in _values)
            {
                if (pair.Key == name)
                {
                    return pair.Value;
                }
            }
            throw new KeyNotFoundException($"The search space has no hyperparameter \"{name}\"; it has: {string.Join(", ", _values.Select(v => v.Key))}.");
        }
    }

    /// <summary>The value of <paramref name="name"/> as a <typeparamref name="T"/> (a range's values are <see cref="double"/>).</summary>
    /// <exception cref="KeyNotFoundException">The search space declares no such name.</exception>
    /// <exception cref="InvalidCastException">The value is not a <typeparamref name="T"/>; the message names its type.</exception>
    public T Get<T>(string name)
    {
        object value = this[name];
        return value is T typed
            ? typed
            : throw new InvalidCastException($"Hyperparameter \"{name}\" is a {value.GetType().Name} ({Format(value)}), not a {typeof(T).Name}.");
    }

    /// <summary>The network and the values, as "Network, name=value, ...".</summary>
    public override string ToString()
        => string.Join(", ", _values.Select(v => $"{v.Key}={Format(v.Value)}").Prepend(Network));

    internal static string Format(object value) => value switch
    {
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        float f => f.ToString("G4", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
