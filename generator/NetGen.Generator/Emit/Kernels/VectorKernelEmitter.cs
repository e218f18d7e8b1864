using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// Emits the SIMD helpers the looped layers call: a dot product and a multiply-add, each specialized for one length.
/// Every width the length can use gets its own branch behind <c>IsHardwareAccelerated</c>; the JIT keeps the widest
/// branch the machine runs and drops the others, and the scalar tail appears only when the length needs one.
/// </summary>
internal sealed partial class VectorKernelEmitter
{
    private static readonly (string Type, int Lanes)[] Widths = { ("Vector512", 16), ("Vector256", 8), ("Vector128", 4) };

    /// <summary>How many rows the blocked dot product reads at once: four independent sums hide the latency of each multiply-add, and each load of x serves four rows.</summary>
    public const int RowBlock = 4;

    private readonly SortedSet<int> _dotLengths = new();
    private readonly SortedSet<(int Rows, int Length)> _rowBlockLengths = new();
    private readonly SortedSet<int> _outerLengths = new();
    private readonly SortedSet<int> _rowsTwiceLengths = new();
    private readonly SortedSet<int> _rowsFourSamplesLengths = new();
    private readonly SortedSet<int> _multiplyAddLengths = new();
    private readonly SortedSet<int> _weightedRowSumLengths = new();
    private readonly SortedSet<(int Rows, int Length)> _affineRowLengths = new();

    /// <summary>Asks for a dot product of <paramref name="length"/> floats and returns the helper's name.</summary>
    public string Dot(int length)
    {
        _dotLengths.Add(length);
        return "Dot" + length;
    }

    /// <summary>Asks for the dot products of four consecutive rows of <paramref name="length"/> floats with one vector; returns the helper's name.</summary>
    public string DotRows(int length, int rows = RowBlock)
    {
        _rowBlockLengths.Add((rows, length));
        return $"Dot{rows}Rows{length}";
    }

    /// <summary>Asks for the dot products of four rows with two inputs at once; returns the helper's name.</summary>
    public string DotRowsTwice(int length)
    {
        _rowsTwiceLengths.Add(length);
        return $"Dot{RowBlock}RowsTwice{length}";
    }

    /// <summary>How many samples <see cref="DotRowsFourSamples"/> takes at once.</summary>
    public const int SampleBlock = 4;

    /// <summary>
    /// Asks for the dot products of four consecutive rows with four consecutive inputs of <paramref name="length"/>
    /// floats, written as a 4x4 block of sums; returns the helper's name.
    /// </summary>
    public string DotRowsFourSamples(int length)
    {
        _rowsFourSamplesLengths.Add(length);
        return $"Dot{RowBlock}RowsBy{SampleBlock}Samples{length}";
    }

    /// <summary>Asks for the micro-batch weight-gradient helper over rows of <paramref name="length"/> floats; returns its name.</summary>
    public string AccumulateOuterRows(int length)
    {
        _outerLengths.Add(length);
        return $"AddOuterProducts{RowBlock}Rows{length}";
    }

    /// <summary>Asks for destination += scale * source over <paramref name="length"/> floats and returns the helper's name.</summary>
    public string MultiplyAdd(int length)
    {
        _multiplyAddLengths.Add(length);
        return "MultiplyAdd" + length;
    }

    /// <summary>
    /// Asks for z = biases + the dot products of <paramref name="rows"/> consecutive rows of <paramref name="length"/>
    /// floats with one vector, stored as one vector where the hardware allows; returns the helper's name.
    /// </summary>
    public string AffineRows(int length, int rows)
    {
        _affineRowLengths.Add((rows, length));
        return $"Affine{rows}Rows{length}";
    }

    /// <summary>Whether <see cref="AffineRows"/> can store a block of <paramref name="rows"/> rows of <paramref name="length"/> floats as whole vectors: x86's horizontal adds leave 4 or 8 row sums in one vector, and a length of whole vectors leaves no scalar tail to add.</summary>
    public static bool StoresWholeSums(int length, int rows) => rows is 4 or 8 && length % 4 == 0;

    /// <summary>
    /// Asks for destination = the sum of rows of <paramref name="length"/> floats, each times its coefficient (a
    /// transposed matrix times a vector), and returns the helper's name.
    /// </summary>
    public string WeightedRowSum(int length)
    {
        _weightedRowSumLengths.Add(length);
        return "WeightedRowSum" + length;
    }

    public bool IsEmpty =>
        _dotLengths.Count == 0 && _multiplyAddLengths.Count == 0 && _rowBlockLengths.Count == 0 && _outerLengths.Count == 0 &&
        _rowsTwiceLengths.Count == 0 && _rowsFourSamplesLengths.Count == 0 && _weightedRowSumLengths.Count == 0 && _affineRowLengths.Count == 0 &&
        _packedDotRowsLengths.Count == 0 && _packedAffineRowsLengths.Count == 0;

    public void Emit(IndentedWriter writer)
    {
        foreach (var (rows, length) in _rowBlockLengths)
        {
            EmitDotRows(writer, length, rows);
        }
        foreach (var (rows, length) in _affineRowLengths)
        {
            EmitAffineRows(writer, length, rows);
        }
        EmitPackedKernels(writer);
        foreach (int length in _rowsTwiceLengths)
        {
            EmitDotRowsTwoSamples(writer, length);
        }
        foreach (int length in _rowsFourSamplesLengths)
        {
            EmitDotRowsFourSamples(writer, length);
        }
        foreach (int length in _outerLengths)
        {
            EmitOuterRows(writer, length);
        }
        foreach (int length in _dotLengths)
        {
            EmitDot(writer, length);
        }
        foreach (int length in _multiplyAddLengths)
        {
            EmitMultiplyAdd(writer, length);
        }
        foreach (int length in _weightedRowSumLengths)
        {
            EmitWeightedRowSum(writer, length);
        }
    }

    private static IEnumerable<(string Type, int Lanes)> WidthsFor(int length) => Widths.Where(w => w.Lanes <= length);

    private static void EmitDot(IndentedWriter writer, int length)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>The dot product of the {length} floats at <paramref name=\"a\"/> and <paramref name=\"b\"/>, as many lanes at a time as the hardware has.</summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        using (writer.Block($"private static float Dot{length}(ref float a, ref float b)"))
        {
            foreach (var (type, lanes) in WidthsFor(length))
            {
                int vectorEnd = length - length % lanes;
                using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    writer.WriteLine($"{type}<float> sum = {type}<float>.Zero;");
                    using (writer.Block($"for (nuint i = 0; i < {vectorEnd}; i += {lanes})"))
                    {
                        writer.WriteLine($"sum = {type}.MultiplyAddEstimate({type}.LoadUnsafe(ref a, i), {type}.LoadUnsafe(ref b, i), sum);");
                    }
                    if (vectorEnd == length)
                    {
                        writer.WriteLine($"return {type}.Sum(sum);");
                    }
                    else
                    {
                        writer.WriteLine($"float result = {type}.Sum(sum);");
                        EmitScalarDotLoop(writer, vectorEnd, length);
                        writer.WriteLine("return result;");
                    }
                }
                writer.WriteLine();
            }
            writer.WriteLine("float total = 0f;");
            EmitScalarDotLoop(writer, 0, length, "total");
            writer.WriteLine("return total;");
        }
    }

    private static void EmitDotRows(IndentedWriter writer, int length, int rowCount)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>");
        writer.WriteLine($"/// The dot products of {rowCount} consecutive rows of {length} floats, starting at <paramref name=\"rows\"/>, with the {length} floats at <paramref name=\"x\"/>.");
        writer.WriteLine($"/// The {rowCount} sums are independent, so the processor overlaps their multiply-adds, and each vector of x is loaded once for all {rowCount} rows.");
        writer.WriteLine($"/// </summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        string outs = string.Join(", ", Enumerable.Range(0, rowCount).Select(r => $"out float sum{r}"));
        using (writer.Block($"private static void Dot{rowCount}Rows{length}(ref float rows, ref float x, {outs})"))
        {
            EmitRowRefs(writer, length, rowCount);
            foreach (var (type, lanes) in WidthsFor(length))
            {
                int vectorEnd = length - length % lanes;
                using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    EmitRowAccumulators(writer, type, lanes, rowCount, vectorEnd);
                    EmitRowSums(writer, type, rowCount);
                    if (vectorEnd != length)
                    {
                        EmitScalarRowsLoop(writer, vectorEnd, length, rowCount);
                    }
                    writer.WriteLine("return;");
                }
                writer.WriteLine();
            }
            for (int r = 0; r < rowCount; r++)
            {
                writer.WriteLine($"sum{r} = 0f;");
            }
            EmitScalarRowsLoop(writer, 0, length, rowCount);
        }
    }

    /// <summary>Writes row0 to row{rowCount - 1}: refs to consecutive rows of <paramref name="length"/> floats from <c>rows</c>.</summary>
    private static void EmitRowRefs(IndentedWriter writer, int length, int rowCount)
    {
        for (int r = 0; r < rowCount; r++)
        {
            writer.WriteLine(r == 0 ? "ref float row0 = ref rows;" : $"ref float row{r} = ref Unsafe.Add(ref rows, {r * length});");
        }
    }

    /// <summary>Writes accumulator{r} = the lane-wise products of row r with x, summed over the first <paramref name="end"/> floats.</summary>
    private static void EmitRowAccumulators(IndentedWriter writer, string type, int lanes, int rowCount, int end)
    {
        for (int r = 0; r < rowCount; r++)
        {
            writer.WriteLine($"{type}<float> accumulator{r} = {type}<float>.Zero;");
        }
        using (writer.Block($"for (nuint i = 0; i < {end}; i += {lanes})"))
        {
            writer.WriteLine($"{type}<float> xi = {type}.LoadUnsafe(ref x, i);");
            for (int r = 0; r < rowCount; r++)
            {
                writer.WriteLine($"accumulator{r} = {type}.MultiplyAddEstimate({type}.LoadUnsafe(ref row{r}, i), xi, accumulator{r});");
            }
        }
    }

    /// <summary>
    /// sum{r} = the sum of the lanes of accumulator{r}. On x86, horizontal adds pair up neighbouring lanes of two vectors
    /// at once, so a tree of them reduces all the rows together (for 8 rows, 6 adds and a shuffle instead of 8 separate
    /// reductions of 11 instructions each); elsewhere each row is summed on its own.
    /// </summary>
    private static void EmitRowSums(IndentedWriter writer, string type, int rowCount)
    {
        if (rowCount is 4 or 8)
        {
            using (writer.Block($"if ({HorizontalAddCondition(type)})"))
            {
                foreach (var (name, vectorType, firstRow) in EmitRowSumTree(writer, type, rowCount))
                {
                    int lanes = vectorType == "Vector256" ? 8 : 4;
                    for (int r = firstRow; r < firstRow + lanes && r < rowCount; r++)
                    {
                        writer.WriteLine($"sum{r} = {name}.GetElement({r - firstRow});");
                    }
                }
            }
            using (writer.Block("else"))
            {
                for (int r = 0; r < rowCount; r++)
                {
                    writer.WriteLine($"sum{r} = {type}.Sum(accumulator{r});");
                }
            }
            return;
        }
        for (int r = 0; r < rowCount; r++)
        {
            writer.WriteLine($"sum{r} = {type}.Sum(accumulator{r});");
        }
    }

    private static string HorizontalAddCondition(string type) => type == "Vector128" ? "Sse3.IsSupported" : "Avx.IsSupported";

    /// <summary>
    /// Writes the tree of horizontal adds over accumulator0 to accumulator{rowCount - 1} (4 or 8 of them) and returns the
    /// vectors it leaves, each with its type and the row its first lane sums: lane k holds the sum of row first + k.
    /// </summary>
    private static List<(string Name, string Type, int FirstRow)> EmitRowSumTree(IndentedWriter writer, string type, int rowCount)
    {
        string half = type == "Vector128" ? "Vector128" : "Vector256";
        string add = type == "Vector128" ? "Sse3.HorizontalAdd" : "Avx.HorizontalAdd";
        var names = new List<string>();
        for (int r = 0; r < rowCount; r++)
        {
            if (type == "Vector512")
            {
                writer.WriteLine($"Vector256<float> folded{r} = accumulator{r}.GetLower() + accumulator{r}.GetUpper();");
                names.Add($"folded{r}");
            }
            else
            {
                names.Add($"accumulator{r}");
            }
        }
        writer.WriteLine($"// Each horizontal add sums neighbouring lanes of two vectors: two rounds leave one sum per row in each {(half == "Vector128" ? "vector" : "128-bit half")}.");
        var pairs = new List<string>();
        for (int r = 0; r < rowCount; r += 2)
        {
            writer.WriteLine($"{half}<float> pair{r}{r + 1} = {add}({names[r]}, {names[r + 1]});");
            pairs.Add($"pair{r}{r + 1}");
        }
        var quads = new List<string>();
        for (int q = 0; q < pairs.Count; q += 2)
        {
            string name = $"rows{4 * q / 2}To{4 * q / 2 + 3}";
            writer.WriteLine($"{half}<float> {name} = {add}({pairs[q]}, {pairs[q + 1]});");
            quads.Add(name);
        }
        if (half == "Vector128")
        {
            return quads.Select((name, q) => (name, "Vector128", 4 * q)).ToList();
        }
        if (rowCount == 4)
        {
            writer.WriteLine($"// {quads[0]} holds the sums of the lower halves of the rows, then of the upper halves.");
            writer.WriteLine($"Vector128<float> sums = {quads[0]}.GetLower() + {quads[0]}.GetUpper();");
            return new List<(string, string, int)> { ("sums", "Vector128", 0) };
        }
        writer.WriteLine("// Each holds the sums of the rows' lower halves, then of their upper halves: bring the halves together and add.");
        writer.WriteLine($"Vector256<float> sums = Avx.Permute2x128({quads[0]}, {quads[1]}, 0x20) + Avx.Permute2x128({quads[0]}, {quads[1]}, 0x31);");
        return new List<(string, string, int)> { ("sums", "Vector256", 0) };
    }

    private static void EmitAffineRows(IndentedWriter writer, int length, int rowCount)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>");
        writer.WriteLine($"/// z[r] = biases[r] + the dot product of row r with x, for {rowCount} consecutive rows of {length} floats starting at <paramref name=\"rows\"/>.");
        writer.WriteLine($"/// On x86 the horizontal adds leave the {rowCount} sums in vectors, which are added to the biases and stored whole: the");
        writer.WriteLine("/// activation then reads z back as vectors, and a vector load over several narrower stores would have to wait for them.");
        writer.WriteLine($"/// </summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        using (writer.Block($"private static void Affine{rowCount}Rows{length}(ref float rows, ref float x, ref float biases, ref float z)"))
        {
            EmitRowRefs(writer, length, rowCount);
            // Only the widths that divide the length: no scalar tail to add after the vector sums.
            foreach (var (type, lanes) in WidthsFor(length).Where(w => length % w.Lanes == 0))
            {
                using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    EmitRowAccumulators(writer, type, lanes, rowCount, length);
                    EmitSumsIntoZ(writer, type, rowCount, addBiases: true);
                    writer.WriteLine("return;");
                }
                writer.WriteLine();
            }
            for (int r = 0; r < rowCount; r++)
            {
                writer.WriteLine($"float sum{r} = 0f;");
            }
            EmitScalarRowsLoop(writer, 0, length, rowCount);
            for (int r = 0; r < rowCount; r++)
            {
                writer.WriteLine(r == 0 ? "z = biases + sum0;" : $"Unsafe.Add(ref z, {r}) = Unsafe.Add(ref biases, {r}) + sum{r};");
            }
        }
    }

    /// <summary>
    /// z[r] = the sum of accumulator{r}'s lanes, plus biases[r] with <paramref name="addBiases"/>, for the rows of a block:
    /// on x86 through the tree of horizontal adds and whole-vector stores, elsewhere one row at a time.
    /// </summary>
    private static void EmitSumsIntoZ(IndentedWriter writer, string type, int rowCount, bool addBiases)
    {
        using (writer.Block($"if ({HorizontalAddCondition(type)})"))
        {
            foreach (var (name, vectorType, firstRow) in EmitRowSumTree(writer, type, rowCount))
            {
                writer.WriteLine(addBiases
                    ? $"({vectorType}.LoadUnsafe(ref biases, {firstRow}) + {name}).StoreUnsafe(ref z, {firstRow});"
                    : $"{name}.StoreUnsafe(ref z, {firstRow});");
            }
        }
        using (writer.Block("else"))
        {
            for (int r = 0; r < rowCount; r++)
            {
                string sum = $"{type}.Sum(accumulator{r})";
                string slot = r == 0 ? "z" : $"Unsafe.Add(ref z, {r})";
                string bias = r == 0 ? "biases" : $"Unsafe.Add(ref biases, {r})";
                writer.WriteLine($"{slot} = {(addBiases ? $"{bias} + {sum}" : sum)};");
            }
        }
    }

    /// <summary>The most vectors of each gradient row <c>AddOuterProducts</c> keeps in registers at once: 4 rows of 4 give 16 independent sums.</summary>
    private const int OuterSliceVectors = 4;

    private static void EmitOuterRows(IndentedWriter writer, int length)
    {
        writer.WriteLine();
        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// For {RowBlock} consecutive gradient rows of {length} floats: row[r][i] += sum over the count samples of deltas[s * deltaStride + r] * inputs[s * {length} + i].");
        writer.WriteLine($"/// Each slice of the rows stays in registers while every sample is added to it, then is stored once; slices of up to {OuterSliceVectors} vectors");
        writer.WriteLine($"/// give up to {RowBlock * OuterSliceVectors} independent sums, enough to keep the multiply-add units busy. With <paramref name=\"overwrite\"/>, the");
        writer.WriteLine("/// sums start from zero instead of from the rows, which are then written without being read.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        using (writer.Block($"private static void AddOuterProducts{RowBlock}Rows{length}(ref float rows, ref float inputs, ref float deltas, int deltaStride, int count, bool overwrite)"))
        {
            EmitRowRefs(writer, length, RowBlock);
            writer.WriteLine("nuint vectorEnd = 0;");
            bool first = true;
            foreach (var (type, lanes) in WidthsFor(length))
            {
                int vectorEnd = length - length % lanes;
                using (writer.Block($"{(first ? "if" : "else if")} ({type}.IsHardwareAccelerated)"))
                {
                    writer.WriteLine("nuint i = 0;");
                    int done = 0;
                    // 16 sums and their operands need AVX-512's 32 registers; with 16, slices of at most 2 vectors (8 sums).
                    for (int vectors = type == "Vector512" ? OuterSliceVectors : 2; vectors >= 1; vectors /= 2)
                    {
                        int width = vectors * lanes;
                        int end = done + (vectorEnd - done) / width * width;
                        if (end > done)
                        {
                            EmitOuterSlices(writer, type, lanes, vectors, length, end);
                            done = end;
                        }
                    }
                    writer.WriteLine($"vectorEnd = {vectorEnd};");
                }
                first = false;
            }
            using (writer.Block($"for (nuint i = vectorEnd; i < {length}; i++)"))
            {
                using (writer.Block("if (overwrite)"))
                {
                    for (int r = 0; r < RowBlock; r++)
                    {
                        writer.WriteLine($"Unsafe.Add(ref row{r}, i) = 0f;");
                    }
                }
                using (writer.Block("for (int s = 0; s < count; s++)"))
                {
                    writer.WriteLine($"float input = Unsafe.Add(ref inputs, (nuint)(s * {length}) + i);");
                    writer.WriteLine("ref float delta = ref Unsafe.Add(ref deltas, s * deltaStride);");
                    for (int r = 0; r < RowBlock; r++)
                    {
                        string d = r == 0 ? "delta" : $"Unsafe.Add(ref delta, {r})";
                        writer.WriteLine($"Unsafe.Add(ref row{r}, i) += {d} * input;");
                    }
                }
            }
        }
    }

    /// <summary>Writes the loop over slices of <paramref name="vectors"/> vectors of the rows, from i up to <paramref name="end"/>: the slice's sums in registers over every sample, then stored.</summary>
    private static void EmitOuterSlices(IndentedWriter writer, string type, int lanes, int vectors, int length, int end)
    {
        string At(int v) => v == 0 ? "i" : $"i + {v * lanes}";
        using (writer.Block($"for (; i < {end}; i += {vectors * lanes})"))
        {
            for (int r = 0; r < RowBlock; r++)
            {
                writer.WriteLine($"{type}<float> {string.Join(", ", Enumerable.Range(0, vectors).Select(v => $"sum{r}{v} = {type}<float>.Zero"))};");
            }
            using (writer.Block("if (!overwrite)"))
            {
                for (int r = 0; r < RowBlock; r++)
                {
                    for (int v = 0; v < vectors; v++)
                    {
                        writer.WriteLine($"sum{r}{v} = {type}.LoadUnsafe(ref row{r}, {At(v)});");
                    }
                }
            }
            using (writer.Block("for (int s = 0; s < count; s++)"))
            {
                writer.WriteLine($"ref float input = ref Unsafe.Add(ref inputs, (nuint)(s * {length}) + i);");
                for (int v = 0; v < vectors; v++)
                {
                    writer.WriteLine($"{type}<float> input{v} = {type}.LoadUnsafe(ref input{(v == 0 ? "" : $", {v * lanes}")});");
                }
                writer.WriteLine("ref float delta = ref Unsafe.Add(ref deltas, s * deltaStride);");
                for (int r = 0; r < RowBlock; r++)
                {
                    string d = r == 0 ? "delta" : $"Unsafe.Add(ref delta, {r})";
                    writer.WriteLine($"{type}<float> d{r} = {type}.Create({d});");
                    for (int v = 0; v < vectors; v++)
                    {
                        writer.WriteLine($"sum{r}{v} = {type}.MultiplyAddEstimate(d{r}, input{v}, sum{r}{v});");
                    }
                }
            }
            for (int r = 0; r < RowBlock; r++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    writer.WriteLine($"sum{r}{v}.StoreUnsafe(ref row{r}, {At(v)});");
                }
            }
        }
    }

    private static void EmitDotRowsTwoSamples(IndentedWriter writer, int length)
    {
        writer.WriteLine();
        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// The dot products of {RowBlock} consecutive rows of {length} floats with two inputs, <paramref name=\"x0\"/> and <paramref name=\"x1\"/>:");
        writer.WriteLine($"/// eight independent sums, each vector of weights loaded once for both samples.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        string outs = string.Join(", ", Enumerable.Range(0, RowBlock).Select(r => $"out float first{r}").Concat(Enumerable.Range(0, RowBlock).Select(r => $"out float second{r}")));
        using (writer.Block($"private static void Dot{RowBlock}RowsTwice{length}(ref float rows, ref float x0, ref float x1, {outs})"))
        {
            EmitRowRefs(writer, length, RowBlock);
            foreach (var (type, lanes) in WidthsFor(length))
            {
                int vectorEnd = length - length % lanes;
                using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    for (int r = 0; r < RowBlock; r++)
                    {
                        writer.WriteLine($"{type}<float> a{r} = {type}<float>.Zero, b{r} = {type}<float>.Zero;");
                    }
                    using (writer.Block($"for (nuint i = 0; i < {vectorEnd}; i += {lanes})"))
                    {
                        writer.WriteLine($"{type}<float> u = {type}.LoadUnsafe(ref x0, i), v = {type}.LoadUnsafe(ref x1, i);");
                        for (int r = 0; r < RowBlock; r++)
                        {
                            writer.WriteLine($"{type}<float> w{r} = {type}.LoadUnsafe(ref row{r}, i);");
                            writer.WriteLine($"a{r} = {type}.MultiplyAddEstimate(w{r}, u, a{r});");
                            writer.WriteLine($"b{r} = {type}.MultiplyAddEstimate(w{r}, v, b{r});");
                        }
                    }
                    for (int r = 0; r < RowBlock; r++)
                    {
                        writer.WriteLine($"first{r} = {type}.Sum(a{r});");
                        writer.WriteLine($"second{r} = {type}.Sum(b{r});");
                    }
                    if (vectorEnd != length)
                    {
                        EmitScalarRowsTwiceLoop(writer, vectorEnd, length);
                    }
                    writer.WriteLine("return;");
                }
                writer.WriteLine();
            }
            for (int r = 0; r < RowBlock; r++)
            {
                writer.WriteLine($"first{r} = 0f;");
                writer.WriteLine($"second{r} = 0f;");
            }
            EmitScalarRowsTwiceLoop(writer, 0, length);
        }
    }

    private static void EmitDotRowsFourSamples(IndentedWriter writer, int length)
    {
        writer.WriteLine();
        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// sums[s * sumStride + r] = the dot product of row r of the {RowBlock} consecutive rows of {length} floats at <paramref name=\"rows\"/>");
        writer.WriteLine($"/// with input s of the {SampleBlock} consecutive inputs of {length} floats at <paramref name=\"inputs\"/>: {RowBlock * SampleBlock} independent sums,");
        writer.WriteLine($"/// each vector of weights loaded once for {SampleBlock} samples and each vector of an input once for {RowBlock} rows. Each sum is");
        writer.WriteLine($"/// accumulated lane by lane and then summed exactly as <c>Dot{RowBlock}RowsTwice{length}</c> sums it, so a sample gets the same bits in either.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        using (writer.Block($"private static void Dot{RowBlock}RowsBy{SampleBlock}Samples{length}(ref float rows, ref float inputs, ref float sums, int sumStride)"))
        {
            EmitRowRefs(writer, length, RowBlock);
            for (int s = 0; s < SampleBlock; s++)
            {
                writer.WriteLine(s == 0 ? "ref float x0 = ref inputs;" : $"ref float x{s} = ref Unsafe.Add(ref inputs, {s * length});");
            }
            foreach (var (type, lanes) in WidthsFor(length))
            {
                int vectorEnd = length - length % lanes;
                using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    for (int s = 0; s < SampleBlock; s++)
                    {
                        writer.WriteLine(s == 0 ? "ref float sample0Sums = ref sums;" : $"ref float sample{s}Sums = ref Unsafe.Add(ref sums, {s} * sumStride);");
                    }
                    // 16 accumulators and their operands need AVX-512's 32 registers; with 16, two samples per pass, as Dot4RowsTwice.
                    int perPass = type == "Vector512" ? SampleBlock : 2;
                    if (perPass < SampleBlock)
                    {
                        writer.WriteLine($"// {perPass} samples per pass over the rows: {RowBlock * perPass} sums and their operands fit in the 16 registers of this width.");
                    }
                    for (int firstSample = 0; firstSample < SampleBlock; firstSample += perPass)
                    {
                        var passSamples = Enumerable.Range(firstSample, perPass).ToList();
                        for (int r = 0; r < RowBlock; r++)
                        {
                            string declarations = string.Join(", ", passSamples.Select(s => $"sum{r}{s} = {type}<float>.Zero"));
                            writer.WriteLine($"{type}<float> {declarations};");
                        }
                        using (writer.Block($"for (nuint i = 0; i < {vectorEnd}; i += {lanes})"))
                        {
                            string loads = string.Join(", ", passSamples.Select(s => $"input{s} = {type}.LoadUnsafe(ref x{s}, i)"));
                            writer.WriteLine($"{type}<float> {loads};");
                            for (int r = 0; r < RowBlock; r++)
                            {
                                writer.WriteLine($"{type}<float> w{r} = {type}.LoadUnsafe(ref row{r}, i);");
                                foreach (int s in passSamples)
                                {
                                    writer.WriteLine($"sum{r}{s} = {type}.MultiplyAddEstimate(w{r}, input{s}, sum{r}{s});");
                                }
                            }
                        }
                        if (type == "Vector512")
                        {
                            EmitSixteenSums(writer);
                        }
                        else
                        {
                            EmitEachSum(writer, type, passSamples);
                        }
                    }
                    if (vectorEnd != length)
                    {
                        writer.WriteLine("// The floats after the last whole vector, one at a time, in the order the single-sample helpers add them.");
                        using (writer.Block($"for (nuint i = {vectorEnd}; i < {length}; i++)"))
                        {
                            for (int s = 0; s < SampleBlock; s++)
                            {
                                writer.WriteLine($"float input{s} = Unsafe.Add(ref x{s}, i);");
                            }
                            for (int s = 0; s < SampleBlock; s++)
                            {
                                for (int r = 0; r < RowBlock; r++)
                                {
                                    writer.WriteLine($"{SumSlot(s, r)} += Unsafe.Add(ref row{r}, i) * input{s};");
                                }
                            }
                        }
                    }
                    writer.WriteLine("return;");
                }
                writer.WriteLine();
            }
            using (writer.Block($"for (int s = 0; s < {SampleBlock}; s++)"))
            {
                writer.WriteLine($"ref float input = ref Unsafe.Add(ref inputs, s * {length});");
                for (int r = 0; r < RowBlock; r++)
                {
                    writer.WriteLine($"float sum{r} = 0f;");
                }
                using (writer.Block($"for (nuint i = 0; i < {length}; i++)"))
                {
                    writer.WriteLine("float xi = Unsafe.Add(ref input, i);");
                    for (int r = 0; r < RowBlock; r++)
                    {
                        writer.WriteLine($"sum{r} += Unsafe.Add(ref row{r}, i) * xi;");
                    }
                }
                for (int r = 0; r < RowBlock; r++)
                {
                    writer.WriteLine($"Unsafe.Add(ref sums, s * sumStride + {r}) = sum{r};");
                }
            }
        }
    }

    private static void EmitEachSum(IndentedWriter writer, string type, IEnumerable<int> samples)
    {
        foreach (int s in samples)
        {
            for (int r = 0; r < RowBlock; r++)
            {
                writer.WriteLine($"{SumSlot(s, r)} = {type}.Sum(sum{r}{s});");
            }
        }
    }

    /// <summary>
    /// The 4x4 sums of <see cref="EmitDotRowsFourSamples"/>'s 512-bit accumulators reduced together: Vector512.Sum adds
    /// neighbouring lanes within each 128-bit block, then those pairs, then blocks 0 and 1 and blocks 2 and 3, then the two
    /// halves. Two shuffles and an add do one such step for two accumulators at once, the same additions in the same order,
    /// so 45 instructions leave the 16 sums in one vector instead of 16 reductions of 25.
    /// </summary>
    private static void EmitSixteenSums(IndentedWriter writer)
    {
        using (writer.Block("if (Avx512F.IsSupported)"))
        {
            writer.WriteLine("// Within each 128-bit block: lane pairs of two accumulators, then the pairs' sums, which leaves, for sample s,");
            writer.WriteLine("// blocks{s} = the 4 rows' partial sums of each block (block k holds rows 0..3 of the accumulators' k-th block).");
            for (int s = 0; s < SampleBlock; s++)
            {
                writer.WriteLine($"Vector512<float> pairs{s}Rows01 = Avx512F.Shuffle(sum0{s}, sum1{s}, 0x88) + Avx512F.Shuffle(sum0{s}, sum1{s}, 0xDD);");
                writer.WriteLine($"Vector512<float> pairs{s}Rows23 = Avx512F.Shuffle(sum2{s}, sum3{s}, 0x88) + Avx512F.Shuffle(sum2{s}, sum3{s}, 0xDD);");
                writer.WriteLine($"Vector512<float> blocks{s} = Avx512F.Shuffle(pairs{s}Rows01, pairs{s}Rows23, 0x88) + Avx512F.Shuffle(pairs{s}Rows01, pairs{s}Rows23, 0xDD);");
            }
            writer.WriteLine("// Blocks 0 + 1 and 2 + 3 of two samples at once, then those two sums: block s of totals = sample s's 4 row sums.");
            writer.WriteLine("Vector512<float> halves01 = Avx512F.Shuffle4x128(blocks0, blocks1, 0x88) + Avx512F.Shuffle4x128(blocks0, blocks1, 0xDD);");
            writer.WriteLine("Vector512<float> halves23 = Avx512F.Shuffle4x128(blocks2, blocks3, 0x88) + Avx512F.Shuffle4x128(blocks2, blocks3, 0xDD);");
            writer.WriteLine("Vector512<float> totals = Avx512F.Shuffle4x128(halves01, halves23, 0x88) + Avx512F.Shuffle4x128(halves01, halves23, 0xDD);");
            writer.WriteLine("totals.GetLower().GetLower().StoreUnsafe(ref sample0Sums);");
            writer.WriteLine("totals.GetLower().GetUpper().StoreUnsafe(ref sample1Sums);");
            writer.WriteLine("totals.GetUpper().GetLower().StoreUnsafe(ref sample2Sums);");
            writer.WriteLine("totals.GetUpper().GetUpper().StoreUnsafe(ref sample3Sums);");
        }
        using (writer.Block("else"))
        {
            EmitEachSum(writer, "Vector512", Enumerable.Range(0, SampleBlock));
        }
    }

    private static string SumSlot(int sample, int row) => row == 0 ? $"sample{sample}Sums" : $"Unsafe.Add(ref sample{sample}Sums, {row})";

    private static void EmitScalarRowsTwiceLoop(IndentedWriter writer, int start, int end)
    {
        using (writer.Block($"for (nuint i = {start}; i < {end}; i++)"))
        {
            writer.WriteLine("float u = Unsafe.Add(ref x0, i), v = Unsafe.Add(ref x1, i);");
            for (int r = 0; r < RowBlock; r++)
            {
                writer.WriteLine($"first{r} += Unsafe.Add(ref row{r}, i) * u;");
                writer.WriteLine($"second{r} += Unsafe.Add(ref row{r}, i) * v;");
            }
        }
    }

    private static void EmitScalarRowsLoop(IndentedWriter writer, int start, int end, int rowCount)
    {
        using (writer.Block($"for (nuint i = {start}; i < {end}; i++)"))
        {
            writer.WriteLine("float xi = Unsafe.Add(ref x, i);");
            for (int r = 0; r < rowCount; r++)
            {
                writer.WriteLine($"sum{r} += Unsafe.Add(ref row{r}, i) * xi;");
            }
        }
    }

    private static void EmitScalarDotLoop(IndentedWriter writer, int start, int end, string accumulator = "result")
    {
        using (writer.Block($"for (nuint i = {start}; i < {end}; i++)"))
        {
            writer.WriteLine($"{accumulator} += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);");
        }
    }

    private static void EmitMultiplyAdd(IndentedWriter writer, int length)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>destination[i] += scale * source[i] for the {length} floats at each, as many lanes at a time as the hardware has.</summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        using (writer.Block($"private static void MultiplyAdd{length}(float scale, ref float source, ref float destination)"))
        {
            foreach (var (type, lanes) in WidthsFor(length))
            {
                int vectorEnd = length - length % lanes;
                using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    writer.WriteLine($"{type}<float> factor = {type}.Create(scale);");
                    using (writer.Block($"for (nuint i = 0; i < {vectorEnd}; i += {lanes})"))
                    {
                        writer.WriteLine($"{type}.MultiplyAddEstimate(factor, {type}.LoadUnsafe(ref source, i), {type}.LoadUnsafe(ref destination, i)).StoreUnsafe(ref destination, i);");
                    }
                    if (vectorEnd != length)
                    {
                        EmitScalarMultiplyAddLoop(writer, vectorEnd, length);
                    }
                    writer.WriteLine("return;");
                }
                writer.WriteLine();
            }
            EmitScalarMultiplyAddLoop(writer, 0, length);
        }
    }

    private static void EmitScalarMultiplyAddLoop(IndentedWriter writer, int start, int end)
    {
        using (writer.Block($"for (nuint i = {start}; i < {end}; i++)"))
        {
            writer.WriteLine("Unsafe.Add(ref destination, i) += scale * Unsafe.Add(ref source, i);");
        }
    }

    /// <summary>How many vectors of the destination <c>WeightedRowSum</c> keeps in registers while it adds up the rows.</summary>
    private const int SliceVectors = 4;

    private static void EmitWeightedRowSum(IndentedWriter writer, int length)
    {
        writer.WriteLine();
        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// destination[i] = sum over j &lt; rowCount of coefficients[j] * rows[j * {length} + i], for the {length} floats of a row: the");
        writer.WriteLine("/// transposed weights times the deltas. A slice of the destination stays in registers while every row is added to it,");
        writer.WriteLine("/// then is stored once; added row by row in memory instead, each row would wait for the previous row's store.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        using (writer.Block($"private static void WeightedRowSum{length}(ref float rows, ref float coefficients, int rowCount, ref float destination)"))
        {
            writer.WriteLine("nuint vectorEnd = 0;");
            bool first = true;
            foreach (var (type, lanes) in WidthsFor(length))
            {
                int vectorEnd = length - length % lanes;
                int sliceEnd = vectorEnd - vectorEnd % (SliceVectors * lanes);
                using (writer.Block($"{(first ? "if" : "else if")} ({type}.IsHardwareAccelerated)"))
                {
                    writer.WriteLine("nuint i = 0;");
                    if (sliceEnd > 0)
                    {
                        using (writer.Block($"for (; i < {sliceEnd}; i += {SliceVectors * lanes})"))
                        {
                            for (int v = 0; v < SliceVectors; v++)
                            {
                                writer.WriteLine($"{type}<float> sum{v} = {type}<float>.Zero;");
                            }
                            using (writer.Block("for (int j = 0; j < rowCount; j++)"))
                            {
                                writer.WriteLine($"ref float row = ref Unsafe.Add(ref rows, j * {length});");
                                writer.WriteLine($"{type}<float> coefficient = {type}.Create(Unsafe.Add(ref coefficients, j));");
                                for (int v = 0; v < SliceVectors; v++)
                                {
                                    string at = v == 0 ? "i" : $"i + {v * lanes}";
                                    writer.WriteLine($"sum{v} = {type}.MultiplyAddEstimate(coefficient, {type}.LoadUnsafe(ref row, {at}), sum{v});");
                                }
                            }
                            for (int v = 0; v < SliceVectors; v++)
                            {
                                string at = v == 0 ? "i" : $"i + {v * lanes}";
                                writer.WriteLine($"sum{v}.StoreUnsafe(ref destination, {at});");
                            }
                        }
                    }
                    if (sliceEnd < vectorEnd)
                    {
                        using (writer.Block($"for (; i < {vectorEnd}; i += {lanes})"))
                        {
                            writer.WriteLine($"{type}<float> sum = {type}<float>.Zero;");
                            using (writer.Block("for (int j = 0; j < rowCount; j++)"))
                            {
                                writer.WriteLine($"sum = {type}.MultiplyAddEstimate({type}.Create(Unsafe.Add(ref coefficients, j)), {type}.LoadUnsafe(ref Unsafe.Add(ref rows, j * {length}), i), sum);");
                            }
                            writer.WriteLine("sum.StoreUnsafe(ref destination, i);");
                        }
                    }
                    writer.WriteLine($"vectorEnd = {vectorEnd};");
                }
                first = false;
            }
            using (writer.Block($"for (nuint i = vectorEnd; i < {length}; i++)"))
            {
                writer.WriteLine("float sum = 0f;");
                using (writer.Block("for (int j = 0; j < rowCount; j++)"))
                {
                    writer.WriteLine($"sum += Unsafe.Add(ref coefficients, j) * Unsafe.Add(ref Unsafe.Add(ref rows, j * {length}), i);");
                }
                writer.WriteLine("Unsafe.Add(ref destination, i) = sum;");
            }
        }
    }
}
