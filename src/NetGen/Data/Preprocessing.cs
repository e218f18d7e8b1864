namespace NetGen;

/// <summary>
/// What a model does to raw inputs before its network sees them: a <see cref="NetGen.Standardizer"/> for features, a
/// <see cref="NetGen.Vocabulary"/> for texts. A network trained on standardized features predicts garbage from raw
/// ones, and an embedding is meaningless without the words its rows stand for, so the preprocessing is saved in the same
/// file as the parameters (<see cref="NetworkFile.Save{TNetwork}(TNetwork, string, Preprocessing)"/>), loaded with them
/// (<see cref="NetworkFile.Load{TNetwork}(TNetwork, string)"/> returns it), and compiled in with them: a network declared
/// with <c>[Network(Weights = "...")]</c> gets a static <c>CompiledPreprocessing</c> property.
/// </summary>
/// <remarks>
/// In a file, each kind of preprocessing is a named, versioned section (docs/file-format.md): "standardizer" and
/// "vocabulary".
/// </remarks>
/// <example>
/// <code>
/// var standardizer = Standardizer.Fit(training);
/// Trainer.Train(net, standardizer.Transform(training), options);
/// NetworkFile.Save(net, "wine.ngw", new Preprocessing(standardizer));
///
/// // Later, maybe in another process:
/// var loaded = new WineNet();
/// Preprocessing preprocessing = NetworkFile.Load(loaded, "wine.ngw");
/// preprocessing.Transform(rawFeatures, input);
/// loaded.Predict(input, output);
/// </code>
/// </example>
public sealed class Preprocessing
{
    /// <summary>Creates the preprocessing of a model.</summary>
    /// <param name="standardizer">The standardizer its inputs go through, or null for none.</param>
    public Preprocessing(Standardizer? standardizer)
        : this(standardizer, vocabulary: null)
    {
    }

    /// <summary>
    /// Creates the preprocessing of a model; for a text model, <c>new Preprocessing(standardizer: null, vocabulary)</c>.
    /// </summary>
    /// <param name="standardizer">The standardizer its inputs go through, or null for none.</param>
    /// <param name="vocabulary">The vocabulary that turns its texts' words into token ids, or null for none.</param>
    public Preprocessing(Standardizer? standardizer, Vocabulary? vocabulary)
    {
        Standardizer = standardizer;
        Vocabulary = vocabulary;
    }

    /// <summary>No preprocessing: inputs go to the network as they are. What files without preprocessing load as.</summary>
    public static Preprocessing None { get; } = new(null);

    /// <summary>The standardizer inputs go through, or null.</summary>
    public Standardizer? Standardizer { get; }

    /// <summary>The vocabulary that turns words into the network's token ids, or null.</summary>
    public Vocabulary? Vocabulary { get; }

    /// <summary>Whether there is nothing to do: no standardizer and no vocabulary.</summary>
    public bool IsEmpty => Standardizer is null && Vocabulary is null;

    /// <summary>Applies the preprocessing to one row of raw features, into <paramref name="destination"/> (which may be the same memory).</summary>
    /// <param name="features">The raw features.</param>
    /// <param name="destination">Where the network's input goes: as long as <paramref name="features"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ, or differ from the standardizer's feature count.</exception>
    public void Transform(ReadOnlySpan<float> features, Span<float> destination)
    {
        if (Standardizer is { } standardizer)
        {
            standardizer.Transform(features, destination);
            return;
        }
        if (destination.Length != features.Length)
        {
            throw new ArgumentException(
                $"'{nameof(destination)}' has length {destination.Length}; it must be as long as '{nameof(features)}', {features.Length}.", nameof(destination));
        }
        features.CopyTo(destination);
    }

    /// <summary>A new data set with preprocessed features and the same targets (the same data set when there is nothing to do).</summary>
    /// <param name="data">Raw data.</param>
    /// <exception cref="ArgumentException">The data has another number of features than the standardizer.</exception>
    public DataSet Transform(DataSet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Standardizer is { } standardizer ? standardizer.Transform(data) : data;
    }
}
