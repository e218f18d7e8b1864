using System.ComponentModel;

namespace NetGen.CompilerServices;

/// <summary>
/// For generated code: the prediction layout of a dense layer's weights (see <see cref="INetwork{TSelf}.PackForPrediction"/>).
/// Each block of <see cref="BlockRows"/> consecutive rows keeps its place, and inside it the floats are reordered
/// chunk by chunk: floats [c L, c L + L) of every row of the block, row after row, for each whole chunk c of L
/// (<c>lanes</c>) floats, then the floats past the last whole chunk, row after row. The rows after the last whole block
/// stay as they are.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RowBlockPacking
{
    /// <summary>How many rows a block holds.</summary>
    public const int BlockRows = 8;

    /// <summary>
    /// The start of PackForPrediction: checks both lengths against <paramref name="parameterCount"/> and that the two
    /// do not overlap, then copies <paramref name="parameters"/> into <paramref name="packed"/>, which the layers that
    /// pack then rewrite block by block.
    /// </summary>
    /// <param name="parameters">The network's parameters, in their usual layout.</param>
    /// <param name="packed">Receives the prediction layout.</param>
    /// <param name="parameterCount">The network's parameter count.</param>
    public static void Begin(ReadOnlySpan<float> parameters, Span<float> packed, int parameterCount)
    {
        ArgumentLength.Check(parameters.Length, parameterCount, nameof(parameters));
        ArgumentLength.Check(packed.Length, parameterCount, nameof(packed));
        if (parameters.Overlaps(packed))
        {
            throw new ArgumentException("The packed parameters must be a span of their own: it overlaps the parameters they are packed from.", nameof(packed));
        }
        parameters.CopyTo(packed);
    }

    /// <summary>Writes <paramref name="rows"/> rows of <paramref name="rowLength"/> floats from <paramref name="weights"/>, row-major, into <paramref name="packed"/> in the prediction layout.</summary>
    /// <param name="weights">The weights, row-major: rows times rowLength floats.</param>
    /// <param name="packed">Receives the same floats in the prediction layout; as long as <paramref name="weights"/>, and not overlapping it.</param>
    /// <param name="rowLength">The floats in a row.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="lanes">The floats in a chunk: the lanes of the vectors the kernel reads, 1 without SIMD.</param>
    public static void Pack(ReadOnlySpan<float> weights, Span<float> packed, int rowLength, int rows, int lanes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowLength);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lanes);
        ArgumentLength.Check(weights.Length, rows * rowLength, nameof(weights));
        ArgumentLength.Check(packed.Length, rows * rowLength, nameof(packed));
        if (weights.Overlaps(packed))
        {
            throw new ArgumentException("The packed weights must not overlap the weights they are packed from.", nameof(packed));
        }
        int vectorEnd = rowLength - rowLength % lanes;
        int tail = rowLength - vectorEnd;
        int blockFloats = BlockRows * rowLength;
        int blocked = rows / BlockRows * BlockRows;
        for (int first = 0; first < blocked; first += BlockRows)
        {
            ReadOnlySpan<float> block = weights.Slice(first * rowLength, blockFloats);
            Span<float> target = packed.Slice(first * rowLength, blockFloats);
            int next = 0;
            for (int chunk = 0; chunk < vectorEnd; chunk += lanes)
            {
                for (int row = 0; row < BlockRows; row++)
                {
                    block.Slice(row * rowLength + chunk, lanes).CopyTo(target.Slice(next, lanes));
                    next += lanes;
                }
            }
            for (int row = 0; row < BlockRows && tail > 0; row++)
            {
                block.Slice(row * rowLength + vectorEnd, tail).CopyTo(target.Slice(next, tail));
                next += tail;
            }
        }
        weights.Slice(blocked * rowLength).CopyTo(packed.Slice(blocked * rowLength));
    }
}
