using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// The row-block kernels over the prediction layout. A block of <see cref="PackedRows"/> rows of a dense layer's
/// weights is stored there chunk by chunk: the first vector's worth of each of its rows, one row after another, then
/// the second, and so on; the floats past the last whole vector follow, row after row. The kernel then reads the block
/// as one sequential stream instead of 8 streams one row apart. Each row's sum is still one accumulator over the
/// chunks in order, then the same reduction, so the results are the row-major kernels' bits.
/// </summary>
internal sealed partial class VectorKernelEmitter
{
    /// <summary>How many rows a packed block holds: the row-major path's widest block, whose kernels give the same bits.</summary>
    public const int PackedRows = 2 * RowBlock;

    private readonly SortedSet<int> _packedDotRowsLengths = new();
    private readonly SortedSet<int> _packedAffineRowsLengths = new();

    /// <summary>
    /// Asks for z[r] = biases[r] + the dot product of row r with x over a packed block of rows of <paramref name="length"/>
    /// floats, with the widths and the scalar tail of <see cref="DotRows"/> (or, with <paramref name="dividingWidths"/>,
    /// of <see cref="AffineRows"/>, which takes only widths that divide the length); returns the helper's name. The sums
    /// go out as one vector store where the hardware allows: handing 8 floats back one by one through out parameters
    /// costs W2's first layer a fifth of its time.
    /// </summary>
    public string PackedAffineRows(int length, bool dividingWidths)
    {
        (dividingWidths ? _packedAffineRowsLengths : _packedDotRowsLengths).Add(length);
        return PackedAffineRowsName(length, dividingWidths);
    }

    private static string PackedAffineRowsName(int length, bool dividingWidths)
        => dividingWidths ? $"Affine{PackedRows}RowsPacked{length}" : $"Affine{PackedRows}RowsPackedWithTail{length}";

    /// <summary>
    /// The C# expression for the chunk width of the packed layout: the lanes of the widest vector the row-major kernel
    /// of that length takes on the machine (the affine kernel takes only widths that divide the length), 1 without SIMD.
    /// </summary>
    public static string PackingLanes(int length, bool dividingWidths)
        => string.Concat(KernelWidths(length, dividingWidths).Select(w => $"{w.Type}.IsHardwareAccelerated ? {w.Lanes} : ")) + "1";

    private static IEnumerable<(string Type, int Lanes)> KernelWidths(int length, bool dividingWidths)
        => dividingWidths ? WidthsFor(length).Where(w => length % w.Lanes == 0) : WidthsFor(length);

    private void EmitPackedKernels(IndentedWriter writer)
    {
        foreach (int length in _packedDotRowsLengths)
        {
            EmitPackedAffineRows(writer, length, dividingWidths: false);
        }
        foreach (int length in _packedAffineRowsLengths)
        {
            EmitPackedAffineRows(writer, length, dividingWidths: true);
        }
    }

    private static void EmitPackedAffineRows(IndentedWriter writer, int length, bool dividingWidths)
    {
        string rowMajor = dividingWidths ? $"Affine{PackedRows}Rows{length}" : $"Dot{PackedRows}Rows{length}";
        writer.WriteLine();
        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// z[r] = biases[r] + the dot product of row r of the packed block at <paramref name=\"block\"/> with the {length} floats at <paramref name=\"x\"/>,");
        writer.WriteLine($"/// for its {PackedRows} rows: <c>{rowMajor}</c>'s sums, in its order and at its widths, from the prediction layout.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        using (writer.Block($"private static void {PackedAffineRowsName(length, dividingWidths)}(ref float block, ref float x, ref float biases, ref float z)"))
        {
            foreach (var (type, lanes) in KernelWidths(length, dividingWidths))
            {
                int vectorEnd = length - length % lanes;
                using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    EmitPackedAccumulators(writer, type, lanes, vectorEnd);
                    // With a tail, z holds the vector sums, to which the tail and then the biases are added.
                    EmitSumsIntoZ(writer, type, PackedRows, addBiases: vectorEnd == length);
                    if (vectorEnd != length)
                    {
                        EmitPackedTail(writer, vectorEnd, length);
                    }
                    writer.WriteLine("return;");
                }
                writer.WriteLine();
            }
            EmitPackedScalarSums(writer, length);
            for (int r = 0; r < PackedRows; r++)
            {
                writer.WriteLine($"{Slot("z", r)} = {Slot("biases", r)} + sum{r};");
            }
        }
    }

    private static string Slot(string name, int r) => r == 0 ? name : $"Unsafe.Add(ref {name}, {r})";

    /// <summary>accumulator{r} = the lane-wise products of row r with x over the first <paramref name="end"/> floats, chunk after chunk of the block.</summary>
    private static void EmitPackedAccumulators(IndentedWriter writer, string type, int lanes, int end)
    {
        for (int r = 0; r < PackedRows; r++)
        {
            writer.WriteLine($"{type}<float> accumulator{r} = {type}<float>.Zero;");
        }
        writer.WriteLine("ref float chunk = ref block;");
        using (writer.Block($"for (nuint i = 0; i < {end}; i += {lanes})"))
        {
            writer.WriteLine($"{type}<float> xi = {type}.LoadUnsafe(ref x, i);");
            for (int r = 0; r < PackedRows; r++)
            {
                string load = r == 0 ? $"{type}.LoadUnsafe(ref chunk)" : $"{type}.LoadUnsafe(ref chunk, {r * lanes})";
                writer.WriteLine($"accumulator{r} = {type}.MultiplyAddEstimate({load}, xi, accumulator{r});");
            }
            writer.WriteLine($"chunk = ref Unsafe.Add(ref chunk, {PackedRows * lanes});");
        }
    }

    /// <summary>
    /// The floats past the last whole vector, which follow the chunks row after row: added to each row's sum in z in
    /// order, then the bias, as the row-major kernel adds them to its sum and the forward pass adds the bias.
    /// </summary>
    private static void EmitPackedTail(IndentedWriter writer, int start, int end)
    {
        int tail = end - start;
        for (int r = 0; r < PackedRows; r++)
        {
            writer.WriteLine($"float total{r} = {Slot("z", r)};");
        }
        using (writer.Block($"for (nuint i = 0; i < {tail}; i++)"))
        {
            writer.WriteLine($"float xi = Unsafe.Add(ref x, {start} + i);");
            for (int r = 0; r < PackedRows; r++)
            {
                writer.WriteLine(r == 0
                    ? "total0 += Unsafe.Add(ref chunk, i) * xi;"
                    : $"total{r} += Unsafe.Add(ref chunk, {r * tail} + i) * xi;");
            }
        }
        for (int r = 0; r < PackedRows; r++)
        {
            writer.WriteLine($"{Slot("z", r)} = {Slot("biases", r)} + total{r};");
        }
    }

    /// <summary>Without SIMD the block is packed one float per chunk: input i of row r at i * rows + r.</summary>
    private static void EmitPackedScalarSums(IndentedWriter writer, int length)
    {
        for (int r = 0; r < PackedRows; r++)
        {
            writer.WriteLine($"float sum{r} = 0f;");
        }
        writer.WriteLine("ref float floats = ref block;");
        using (writer.Block($"for (nuint i = 0; i < {length}; i++)"))
        {
            writer.WriteLine("float xi = Unsafe.Add(ref x, i);");
            for (int r = 0; r < PackedRows; r++)
            {
                writer.WriteLine(r == 0 ? "sum0 += floats * xi;" : $"sum{r} += Unsafe.Add(ref floats, {r}) * xi;");
            }
            writer.WriteLine($"floats = ref Unsafe.Add(ref floats, {PackedRows});");
        }
    }
}
