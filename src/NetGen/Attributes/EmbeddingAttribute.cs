namespace NetGen;

/// <summary>
/// Declares a table of <c>vocabulary</c> vectors of <c>dimensions</c> values, read by lookup, as PyTorch's
/// <c>Embedding</c>: the input <c>[Input(n)]</c> holds n token ids as whole numbers (exact in a float up to 2^24),
/// and the output is the sequence [n, dimensions] of their rows. Its weight [vocabulary, dimensions] is stored
/// row-major, as <c>nn.Embedding.weight</c>. It reads the network's input, so it must be the first layer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EmbeddingAttribute : Attribute
{
    /// <summary>Declares a table of <paramref name="vocabulary"/> rows of <paramref name="dimensions"/> values.</summary>
    /// <param name="vocabulary">The number of token ids, 0 to vocabulary - 1; at least 1.</param>
    /// <param name="dimensions">The number of values in each token's vector; at least 1.</param>
    public EmbeddingAttribute(int vocabulary, int dimensions)
    {
        Vocabulary = vocabulary;
        Dimensions = dimensions;
    }

    /// <summary>The number of token ids.</summary>
    public int Vocabulary { get; }

    /// <summary>The number of values in each token's vector.</summary>
    public int Dimensions { get; }

    /// <summary>
    /// The id that pads a text to the declared length, as <c>padding_idx</c> in PyTorch: its row starts at zero and never
    /// receives a gradient, and a <c>[GlobalAveragePool]</c> right after the embedding leaves its positions out of the
    /// mean. The default, -1, declares no padding id; any value set must lie in [0, vocabulary).
    /// </summary>
    public int PaddingIndex { get; set; } = -1;
}
