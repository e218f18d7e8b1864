using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen;

public sealed partial class Trainer<TNetwork>
{
    /// <summary>The network's embedding table, or null for a network that does not start with an embedding.</summary>
    private static readonly EmbeddingTable? Table = EmbeddingTable.Find(TNetwork.Layers);

    /// <summary>The rows of the table that the last batch wrote into <see cref="_gradient"/>; zero everywhere else in the table.</summary>
    private TouchedRows? _touched;

    /// <summary>
    /// The table whose gradient the trainer keeps sparse, or null when it keeps the whole gradient dense: for a network
    /// without an embedding, and under a <see cref="TrainingOptions.Regularization"/>, whose gradient reaches every row.
    /// </summary>
    private EmbeddingTable? SparseTable => _sparseTable;

    /// <summary><see cref="SparseTable"/>, decided once with the options (a static of a generic class costs a look-up at every read).</summary>
    private readonly EmbeddingTable? _sparseTable;

    /// <summary>
    /// The mean gradient of a batch of at most <see cref="ChunkSize"/> samples for a network with an embedding: the
    /// rows of the last batch cleared, the blocks outside the table cleared, the samples' gradients added, and only
    /// those blocks and the batch's rows scaled. Returns the sum of the losses; the squared length in <paramref name="squaredNorm"/>.
    /// </summary>
    private float SparseMeanBatchGradient(EmbeddingTable table, DataSet data, ReadOnlySpan<int> sampleIndices, out double squaredNorm)
    {
        Span<float> gradient = _gradient;
        TouchedRows touched = _touched ??= new TouchedRows(table.Vocabulary);
        table.ClearRows(gradient, touched);
        table.Collect(data, sampleIndices, touched);
        table.ClearOutside(gradient);
        float lossSum = SumRows(_network.Parameters, data, sampleIndices, gradient, _batchInputs, _batchTargets, ref _random, overwrite: false);
        squaredNorm = ScaleTouched(table, gradient, touched, 1f / sampleIndices.Length);
        return lossSum;
    }

    /// <summary>
    /// Multiplies the gradient by <paramref name="scale"/> and returns the sum of the squares of the results: only the
    /// blocks outside the table and the batch's rows when the trainer keeps the table's gradient sparse (elsewhere it
    /// is zero), else every value.
    /// </summary>
    private double ScaleGradient(Span<float> gradient, float scale)
        => SparseTable is { } table && _touched is { } touched ? ScaleTouched(table, gradient, touched, scale) : ScaleAndMeasure(gradient, scale);

    private static double ScaleTouched(EmbeddingTable table, Span<float> gradient, TouchedRows touched, float scale)
    {
        double squaredNorm = ScaleAndMeasure(gradient.Slice(0, table.Offset), scale) + ScaleAndMeasure(gradient.Slice(table.End), scale);
        foreach (int row in touched.Rows)
        {
            squaredNorm += ScaleAndMeasure(table.Row(gradient, row), scale);
        }
        return squaredNorm;
    }

    /// <summary>
    /// mean[row] = (buffer 0[row] + buffer 1[row] + ...) * scale for each of <paramref name="rows"/> of the table, the
    /// buffers read <paramref name="padding"/> floats in and added in order, as the dense path adds them; returns the
    /// sum of the squares of the means. A buffer holds zeros in the rows its chunk did not touch.
    /// </summary>
    private static double AddAndScaleRows(EmbeddingTable table, Span<float> mean, ReadOnlySpan<float[]?> buffers, int padding, TouchedRows rows, float scale)
    {
        double squaredSum = 0;
        int dimensions = table.Dimensions;
        foreach (int row in rows.Rows)
        {
            int start = table.Offset + row * dimensions;
            Span<float> result = mean.Slice(start, dimensions);
            buffers[0].AsSpan(padding + start, dimensions).CopyTo(result);
            for (int b = 1; b < buffers.Length; b++)
            {
                Add(buffers[b].AsSpan(padding + start, dimensions), result);
            }
            squaredSum += ScaleAndMeasure(result, scale);
        }
        return squaredSum;
    }

    /// <summary>sum[i] += values[i].</summary>
    private static void Add(ReadOnlySpan<float> values, Span<float> sum)
    {
        ref float source = ref MemoryMarshal.GetReference(values);
        ref float target = ref MemoryMarshal.GetReference(sum);
        int i = 0;
        for (; i <= sum.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            (Vector.LoadUnsafe(ref target, (nuint)i) + Vector.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
        }
        for (; i < sum.Length; i++)
        {
            sum[i] += values[i];
        }
    }
}
