using NetGen.CompilerServices;

namespace NetGen;

/// <summary>
/// Where a network's embedding table sits in the parameter vector, and how to read the rows a sample touches: the
/// embedding is always the first layer and reads the network's input as it is, so the rows its backward pass writes
/// are the sample's token ids that are not the padding id.
/// </summary>
internal sealed class EmbeddingTable
{
    private EmbeddingTable(int offset, int vocabulary, int dimensions, int tokens, int paddingIndex)
    {
        Offset = offset;
        Vocabulary = vocabulary;
        Dimensions = dimensions;
        Tokens = tokens;
        PaddingIndex = paddingIndex;
    }

    /// <summary>The index of the table's first parameter.</summary>
    public int Offset { get; }

    /// <summary>The number of rows.</summary>
    public int Vocabulary { get; }

    /// <summary>The floats per row.</summary>
    public int Dimensions { get; }

    /// <summary>The number of token ids in an input.</summary>
    public int Tokens { get; }

    /// <summary>The padding id, whose row never receives a gradient, or -1.</summary>
    public int PaddingIndex { get; }

    /// <summary>The index just past the table's last parameter.</summary>
    public int End => Offset + Vocabulary * Dimensions;

    /// <summary>The table of the network's first layer when it is an embedding; null otherwise.</summary>
    public static EmbeddingTable? Find(IReadOnlyList<LayerInfo> layers)
    {
        if (layers.Count == 0 || layers[0].Kind != LayerKind.Embedding)
        {
            return null;
        }
        LayerInfo layer = layers[0];
        ParameterBlock table = layer.Parameters[0];
        // An embedding's arguments end with vocabulary, dimensions and padding id (EmbeddingLayerModel.Arguments).
        int paddingIndex = layer.Arguments[^1];
        return new EmbeddingTable(table.Offset, table.Shape[0], table.Shape[1], layer.InputSize, paddingIndex);
    }

    /// <summary>Adds to <paramref name="rows"/> the rows that the samples at <paramref name="indices"/> of <paramref name="data"/> touch.</summary>
    /// <exception cref="ArgumentException">A token id is not a whole number of the vocabulary (the network's own message).</exception>
    public void Collect(DataSet data, ReadOnlySpan<int> indices, TouchedRows rows)
    {
        foreach (int sample in indices)
        {
            ReadOnlySpan<float> input = data.GetFeatures(sample);
            for (int p = 0; p < Tokens; p++)
            {
                int token = TokenIds.ToIndex(input[p], p, Vocabulary);
                if (token != PaddingIndex)
                {
                    rows.Add(token);
                }
            }
        }
    }

    /// <summary>Zeros the rows listed in <paramref name="rows"/> of the table in <paramref name="gradient"/>, then empties the list.</summary>
    public void ClearRows(Span<float> gradient, TouchedRows rows)
    {
        foreach (int row in rows.Rows)
        {
            gradient.Slice(Offset + row * Dimensions, Dimensions).Clear();
        }
        rows.Clear();
    }

    /// <summary>Zeros every parameter of <paramref name="gradient"/> outside the table.</summary>
    public void ClearOutside(Span<float> gradient)
    {
        gradient.Slice(0, Offset).Clear();
        gradient.Slice(End).Clear();
    }

    /// <summary>The slice of <paramref name="vector"/> that holds row <paramref name="row"/> of the table.</summary>
    public Span<float> Row(Span<float> vector, int row) => vector.Slice(Offset + row * Dimensions, Dimensions);
}
