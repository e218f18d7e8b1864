using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// The inner loops of a recurrent cell, with every size a constant: the gate sums as row-blocked matrix-vector products
/// (eight or four rows of a weight matrix against one read of the vector, their sums stored as whole vectors where the
/// hardware allows), and the gates' nonlinearities fused with the state update, as many units at a time as the
/// hardware has (every width the unit count can use, widest first, then a scalar tail for the units left).
/// </summary>
internal static class RecurrentKernelEmitter
{
    private static readonly (string Type, int Lanes)[] Widths = { ("Vector512", 16), ("Vector256", 8), ("Vector128", 4) };

    /// <summary>
    /// Writes target[j] = bias[j] + row j of matrix . vector for j &lt; <paramref name="rows"/>, every name a
    /// <c>ref float</c> in scope; the rows are <paramref name="length"/> floats long.
    /// </summary>
    public static void EmitAffine(IndentedWriter writer, VectorKernelEmitter kernels, int rows, int length, string matrix, string bias, string vector, string target)
    {
        int done = 0;
        foreach (int block in new[] { 2 * VectorKernelEmitter.RowBlock, VectorKernelEmitter.RowBlock })
        {
            int end = done + (rows - done) / block * block;
            if (end == done)
            {
                continue;
            }
            using (writer.Block($"for (int j = {done}; j < {end}; j += {block})"))
            {
                if (VectorKernelEmitter.StoresWholeSums(length, block))
                {
                    writer.WriteLine($"{kernels.AffineRows(length, block)}(ref Unsafe.Add(ref {matrix}, j * {length}), ref {vector}, ref Unsafe.Add(ref {bias}, j), ref Unsafe.Add(ref {target}, j));");
                }
                else
                {
                    string outs = string.Join(", ", Enumerable.Range(0, block).Select(r => $"out float sum{r}"));
                    writer.WriteLine($"{kernels.DotRows(length, block)}(ref Unsafe.Add(ref {matrix}, j * {length}), ref {vector}, {outs});");
                    for (int r = 0; r < block; r++)
                    {
                        writer.WriteLine($"Unsafe.Add(ref {target}, j + {r}) = Unsafe.Add(ref {bias}, j + {r}) + sum{r};");
                    }
                }
            }
            done = end;
        }
        if (done < rows)
        {
            using (writer.Block($"for (int j = {done}; j < {rows}; j++)"))
            {
                writer.WriteLine($"Unsafe.Add(ref {target}, j) = Unsafe.Add(ref {bias}, j) + {kernels.Dot(length)}(ref Unsafe.Add(ref {matrix}, j * {length}), ref {vector});");
            }
        }
    }

    /// <summary>
    /// Writes a loop over the <paramref name="units"/> units, k from 0: for each vector width the hardware has (widest
    /// first) as many whole vectors as fit, then one unit at a time. <paramref name="vectorBody"/> writes the body for
    /// a vector type (k is the first unit of the vector, a <c>nuint</c>); <paramref name="scalarBody"/> the body for one unit.
    /// </summary>
    public static void EmitUnitLoop(IndentedWriter writer, int units, System.Action<string> vectorBody, System.Action scalarBody)
    {
        writer.WriteLine("nuint k = 0;");
        foreach (var (type, lanes) in Widths.Where(w => w.Lanes <= units))
        {
            using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
            {
                using (writer.Block($"for (; k <= {units - lanes}; k += {lanes})"))
                {
                    vectorBody(type);
                }
            }
        }
        // The units no vector took: those past the narrowest vectors, or all of them without hardware vectors.
        using (writer.Block($"for (; k < {units}; k++)"))
        {
            scalarBody();
        }
    }

    /// <summary>The rows <see cref="EmitAffineSixteenRows"/> reduces at once: one sum per lane of a 512-bit vector.</summary>
    private const int SixteenRows = 16;

    /// <summary>
    /// Like <see cref="EmitAffine"/>, but with AVX-512, when the rows come in blocks of 16 and are whole 512-bit vectors,
    /// sixteen rows at a time, their 16 sums reduced together into one vector by a transposing tree (unpacks, then
    /// shuffles of lanes, then of 128-bit quarters, each level adding pairs: 45 instructions for 16 rows, where two
    /// trees of horizontal adds take about 74). The recurrence's kernel: the step and the whole sequence both call it,
    /// so they stay bitwise equal.
    /// </summary>
    public static void EmitAffineSixteenRows(IndentedWriter writer, VectorKernelEmitter kernels, int rows, int length, string matrix, string bias, string vector, string target)
    {
        if (rows % SixteenRows != 0 || length % 16 != 0)
        {
            EmitAffine(writer, kernels, rows, length, matrix, bias, vector, target);
            return;
        }
        using (writer.Block("if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)"))
        {
            using (writer.Block($"for (int j = 0; j < {rows}; j += {SixteenRows})"))
            {
                writer.WriteLine($"ref float rows = ref Unsafe.Add(ref {matrix}, j * {length});");
                for (int r = 0; r < SixteenRows; r++)
                {
                    writer.WriteLine($"Vector512<float> accumulator{r} = Vector512<float>.Zero;");
                }
                using (writer.Block($"for (nuint i = 0; i < {length}; i += 16)"))
                {
                    writer.WriteLine($"Vector512<float> xi = Vector512.LoadUnsafe(ref {vector}, i);");
                    for (int r = 0; r < SixteenRows; r++)
                    {
                        writer.WriteLine($"accumulator{r} = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref rows, i{(r == 0 ? "" : $" + {r * length}")}), xi, accumulator{r});");
                    }
                }
                writer.WriteLine("// Pairs of rows: within each 128-bit quarter, lanes 0 + 2 and 1 + 3 of both rows.");
                for (int r = 0; r < SixteenRows; r += 2)
                {
                    writer.WriteLine($"Vector512<float> pair{r} = Avx512F.UnpackLow(accumulator{r}, accumulator{r + 1}) + Avx512F.UnpackHigh(accumulator{r}, accumulator{r + 1});");
                }
                writer.WriteLine("// Fours of rows: each quarter holds its part of the sums of four rows.");
                for (int r = 0; r < SixteenRows; r += 4)
                {
                    writer.WriteLine($"Vector512<float> four{r} = Avx512F.Shuffle(pair{r}, pair{r + 2}, 0x44) + Avx512F.Shuffle(pair{r}, pair{r + 2}, 0xEE);");
                }
                writer.WriteLine("// Quarters 0 + 1 and 2 + 3 of two fours, then of those: quarter q holds the sums of rows 4q to 4q + 3.");
                writer.WriteLine("Vector512<float> eight0 = Avx512F.Shuffle4x128(four0, four4, 0x88) + Avx512F.Shuffle4x128(four0, four4, 0xDD);");
                writer.WriteLine("Vector512<float> eight8 = Avx512F.Shuffle4x128(four8, four12, 0x88) + Avx512F.Shuffle4x128(four8, four12, 0xDD);");
                writer.WriteLine("Vector512<float> rowSums = Avx512F.Shuffle4x128(eight0, eight8, 0x88) + Avx512F.Shuffle4x128(eight0, eight8, 0xDD);");
                writer.WriteLine($"(Vector512.LoadUnsafe(ref Unsafe.Add(ref {bias}, j)) + rowSums).StoreUnsafe(ref Unsafe.Add(ref {target}, j));");
            }
        }
        using (writer.Block("else"))
        {
            EmitAffine(writer, kernels, rows, length, matrix, bias, vector, target);
        }
    }

    /// <summary>
    /// Whether <see cref="EmitInputProjections"/> can compute all the steps' input sums as one blocked product, bitwise
    /// as <see cref="EmitAffine"/> computes one step's: when the affine kernel stores whole sums (rows of whole vectors)
    /// and the rows come in blocks of four, every row's sum is the same chain of multiply-adds and the same tree of
    /// horizontal adds (a block of four rows sums each row as a block of eight does).
    /// </summary>
    public static bool ProjectsAllSteps(int rows, int length)
        => VectorKernelEmitter.StoresWholeSums(length, VectorKernelEmitter.RowBlock) && rows % VectorKernelEmitter.RowBlock == 0;

    /// <summary>
    /// Writes target[t * <paramref name="stride"/> + j] = bias[j] + row j of matrix . (the vector of step t), for every
    /// step t &lt; <paramref name="steps"/> (the steps' vectors consecutive rows of <paramref name="length"/> floats) and
    /// every row j &lt; <paramref name="rows"/>: the input side of every step of a recurrent layer at once. Four rows
    /// of the matrix are kept in the first-level cache while all the steps read them, two or four steps at a time
    /// against each load of a row (a matrix product), so the matrix is read from memory once per sequence instead of
    /// once per step. Each sum is computed as <see cref="EmitAffine"/> computes it (see <see cref="ProjectsAllSteps"/>),
    /// so that streaming a sequence a step at a time gives bitwise what a whole sequence gives.
    /// </summary>
    public static void EmitInputProjections(IndentedWriter writer, int rows, int length, int steps, int stride, string matrix, string bias, string vectors, string target)
    {
        const int block = VectorKernelEmitter.RowBlock;
        // The widths the affine kernel uses: those that divide the length, widest first, the first the hardware has.
        foreach (var (type, lanes) in Widths.Where(w => w.Lanes <= length && length % w.Lanes == 0))
        {
            // Four steps of four rows is 16 accumulators: for the 32 registers of AVX-512; two steps for the 16 of AVX and SSE.
            int together = type == "Vector512" ? 4 : 2;
            using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
            {
                using (writer.Block($"for (int j = 0; j < {rows}; j += {block})"))
                {
                    for (int r = 0; r < block; r++)
                    {
                        writer.WriteLine($"ref float row{r} = ref Unsafe.Add(ref {matrix}, {(r == 0 ? "" : $"{r * length} + ")}j * {length});");
                    }
                    writer.WriteLine("int t = 0;");
                    foreach (int count in together <= steps ? new[] { together, 1 } : new[] { 1 })
                    {
                        string condition = count == 1 ? $"t < {steps}" : $"t <= {steps - count}";
                        using (writer.Block($"for (; {condition}; t += {count})"))
                        {
                            EmitProjectionBlock(writer, type, lanes, length, stride, count, bias, vectors, target);
                        }
                    }
                }
                writer.WriteLine("return;");
            }
        }
        writer.WriteLine("// Without hardware vectors: one sum at a time, in order, as the affine kernel's scalar loop.");
        using (writer.Block($"for (int t = 0; t < {steps}; t++)"))
        {
            using (writer.Block($"for (int j = 0; j < {rows}; j++)"))
            {
                writer.WriteLine("float sum = 0f;");
                using (writer.Block($"for (int i = 0; i < {length}; i++)"))
                {
                    writer.WriteLine($"sum += Unsafe.Add(ref {matrix}, j * {length} + i) * Unsafe.Add(ref {vectors}, t * {length} + i);");
                }
                writer.WriteLine($"Unsafe.Add(ref {target}, t * {stride} + j) = Unsafe.Add(ref {bias}, j) + sum;");
            }
        }
    }

    /// <summary>One block of the projections: rows j to j + 3 against <paramref name="count"/> steps from t.</summary>
    private static void EmitProjectionBlock(IndentedWriter writer, string type, int lanes, int length, int stride, int count, string bias, string vectors, string target)
    {
        const int block = VectorKernelEmitter.RowBlock;
        for (int step = 0; step < count; step++)
        {
            writer.WriteLine($"ref float x{step} = ref Unsafe.Add(ref {vectors}, {StepPlus(step)} * {length});");
            for (int r = 0; r < block; r++)
            {
                writer.WriteLine($"{type}<float> accumulator{r}x{step} = {type}<float>.Zero;");
            }
        }
        using (writer.Block($"for (nuint i = 0; i < {length}; i += {lanes})"))
        {
            for (int step = 0; step < count; step++)
            {
                writer.WriteLine($"{type}<float> xi{step} = {type}.LoadUnsafe(ref x{step}, i);");
            }
            for (int r = 0; r < block; r++)
            {
                writer.WriteLine($"{type}<float> weights{r} = {type}.LoadUnsafe(ref row{r}, i);");
                for (int step = 0; step < count; step++)
                {
                    writer.WriteLine($"accumulator{r}x{step} = {type}.MultiplyAddEstimate(weights{r}, xi{step}, accumulator{r}x{step});");
                }
            }
        }
        string half = type == "Vector128" ? "Vector128" : "Vector256";
        string add = type == "Vector128" ? "Sse3.HorizontalAdd" : "Avx.HorizontalAdd";
        using (writer.Block($"if ({(type == "Vector128" ? "Sse3.IsSupported" : "Avx.IsSupported")})"))
        {
            writer.WriteLine(type == "Vector512"
                ? "// Each row's halves added, then horizontal adds (neighbouring lanes of two vectors) twice: one sum per row in each 128-bit half."
                : type == "Vector256"
                    ? "// Horizontal adds (neighbouring lanes of two vectors) twice: one sum per row in each 128-bit half, then the halves added."
                    : "// Horizontal adds (neighbouring lanes of two vectors) twice: one sum per row.");
            for (int step = 0; step < count; step++)
            {
                string[] accumulators = Enumerable.Range(0, block).Select(r => $"accumulator{r}x{step}").ToArray();
                if (type == "Vector512")
                {
                    for (int r = 0; r < block; r++)
                    {
                        writer.WriteLine($"Vector256<float> folded{r}x{step} = accumulator{r}x{step}.GetLower() + accumulator{r}x{step}.GetUpper();");
                        accumulators[r] = $"folded{r}x{step}";
                    }
                }
                writer.WriteLine($"{half}<float> rows{step} = {add}({add}({accumulators[0]}, {accumulators[1]}), {add}({accumulators[2]}, {accumulators[3]}));");
                string sums = type == "Vector128" ? $"rows{step}" : $"(rows{step}.GetLower() + rows{step}.GetUpper())";
                writer.WriteLine($"(Vector128.LoadUnsafe(ref {bias}, (nuint)j) + {sums}).StoreUnsafe(ref {target}, (nuint)({StepPlus(step)} * {stride} + j));");
            }
        }
        using (writer.Block("else"))
        {
            for (int step = 0; step < count; step++)
            {
                for (int r = 0; r < block; r++)
                {
                    writer.WriteLine($"Unsafe.Add(ref {target}, {StepPlus(step)} * {stride} + j + {r}) = Unsafe.Add(ref {bias}, j + {r}) + {type}.Sum(accumulator{r}x{step});");
                }
            }
        }
    }

    /// <summary>t, or (t + step).</summary>
    private static string StepPlus(int step) => step == 0 ? "t" : $"(t + {step})";

    /// <summary>How many vectors of the destination <see cref="EmitTransposedMultiplyAdd"/> keeps in registers while it adds up the rows.</summary>
    private const int SliceVectors = 8;

    /// <summary>The most sets of sums <see cref="EmitTransposedMultiplyAdd"/> spreads the rows over, for slices of few vectors.</summary>
    private const int MaxSumSets = 4;

    /// <summary>
    /// Writes the method <paramref name="name"/>(ref rows, ref coefficients, ref destination): destination[i] += the sum
    /// over the rows j of every section of coefficients[j + section offset] * rows[j * <paramref name="length"/> + i], for
    /// the <paramref name="length"/> floats of a row (a transposed matrix times a vector, added). A slice of up to eight
    /// vectors of the destination stays in registers while every row is added to it, then is stored once. The sections
    /// (first row, end row, offset of their coefficients past the row's index) let a GRU's hidden rows read their
    /// coefficients from two places.
    /// </summary>
    public static void EmitTransposedMultiplyAdd(IndentedWriter writer, string name, int length, string summary, IReadOnlyList<(int Start, int End, int Offset)> sections)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>{summary}: destination[i] += sum_j coefficients[j] * rows[j * {length} + i], a slice of destination kept in registers over all the rows.</summary>");
        writer.WriteLine(NetworkEmitter.InlinedAndOptimized);
        using (writer.Block($"internal static void {name}(ref float rows, ref float coefficients, ref float destination)"))
        {
            writer.WriteLine("nuint vectorEnd = 0;");
            bool first = true;
            foreach (var (type, lanes) in Widths.Where(w => w.Lanes <= length))
            {
                int vectorEnd = length - length % lanes;
                using (writer.Block($"{(first ? "if" : "else if")} ({type}.IsHardwareAccelerated)"))
                {
                    for (int sliceStart = 0; sliceStart < vectorEnd; sliceStart += SliceVectors * lanes)
                    {
                        int vectors = System.Math.Min(SliceVectors, (vectorEnd - sliceStart) / lanes);
                        // A slice of few vectors is few chains of multiply-adds, each waiting on the one before: rows
                        // taken several at a time into sets of sums of their own keep about eight chains going.
                        int sets = System.Math.Max(1, System.Math.Min(MaxSumSets, SliceVectors / vectors));
                        using (writer.Block())
                        {
                            for (int v = 0; v < vectors; v++)
                            {
                                writer.WriteLine($"{type}<float> sum{v} = {type}.LoadUnsafe(ref destination, {sliceStart + v * lanes});");
                                for (int set = 1; set < sets; set++)
                                {
                                    writer.WriteLine($"{type}<float> sum{v}Set{set} = {type}<float>.Zero;");
                                }
                            }
                            string Sum(int v, int set) => set == 0 ? $"sum{v}" : $"sum{v}Set{set}";
                            foreach (var (start, end, offset) in sections)
                            {
                                int together = (end - start) / sets * sets;
                                if (sets > 1 && together > 0)
                                {
                                    using (writer.Block($"for (int j = {start}; j < {start + together}; j += {sets})"))
                                    {
                                        for (int set = 0; set < sets; set++)
                                        {
                                            string j = set == 0 ? "j" : $"j + {set}";
                                            writer.WriteLine($"ref float row{set} = ref Unsafe.Add(ref rows, ({j}) * {length});");
                                            writer.WriteLine($"{type}<float> coefficient{set} = {type}.Create(Unsafe.Add(ref coefficients, {j}{(offset == 0 ? "" : $" + {offset}")}));");
                                        }
                                        for (int v = 0; v < vectors; v++)
                                        {
                                            for (int set = 0; set < sets; set++)
                                            {
                                                writer.WriteLine($"{Sum(v, set)} = {type}.MultiplyAddEstimate(coefficient{set}, {type}.LoadUnsafe(ref row{set}, {sliceStart + v * lanes}), {Sum(v, set)});");
                                            }
                                        }
                                    }
                                }
                                int rest = sets > 1 ? start + together : start;
                                if (rest < end)
                                {
                                    using (writer.Block($"for (int j = {rest}; j < {end}; j++)"))
                                    {
                                        writer.WriteLine($"ref float row = ref Unsafe.Add(ref rows, j * {length});");
                                        writer.WriteLine($"{type}<float> coefficient = {type}.Create(Unsafe.Add(ref coefficients, j{(offset == 0 ? "" : $" + {offset}")}));");
                                        for (int v = 0; v < vectors; v++)
                                        {
                                            writer.WriteLine($"sum{v} = {type}.MultiplyAddEstimate(coefficient, {type}.LoadUnsafe(ref row, {sliceStart + v * lanes}), sum{v});");
                                        }
                                    }
                                }
                            }
                            for (int v = 0; v < vectors; v++)
                            {
                                string total = sets switch
                                {
                                    1 => Sum(v, 0),
                                    2 => $"{Sum(v, 0)} + {Sum(v, 1)}",
                                    3 => $"({Sum(v, 0)} + {Sum(v, 1)}) + {Sum(v, 2)}",
                                    _ => $"({Sum(v, 0)} + {Sum(v, 1)}) + ({Sum(v, 2)} + {Sum(v, 3)})",
                                };
                                writer.WriteLine($"({total}).StoreUnsafe(ref destination, {sliceStart + v * lanes});");
                            }
                        }
                    }
                    writer.WriteLine($"vectorEnd = {vectorEnd};");
                }
                first = false;
            }
            using (writer.Block($"for (nuint i = vectorEnd; i < {length}; i++)"))
            {
                writer.WriteLine("float sum = Unsafe.Add(ref destination, i);");
                foreach (var (start, end, offset) in sections)
                {
                    using (writer.Block($"for (int j = {start}; j < {end}; j++)"))
                    {
                        writer.WriteLine($"sum += Unsafe.Add(ref coefficients, j{(offset == 0 ? "" : $" + {offset}")}) * Unsafe.Add(ref rows, (nuint)(j * {length}) + i);");
                    }
                }
                writer.WriteLine("Unsafe.Add(ref destination, i) = sum;");
            }
        }
    }

    /// <summary>A load of one vector of <paramref name="type"/> at k + <paramref name="offset"/> from the <c>ref float</c> <paramref name="source"/>.</summary>
    public static string Load(string type, string source, int offset)
        => $"{type}.LoadUnsafe(ref {source}, k{(offset == 0 ? "" : $" + {offset}")})";

    /// <summary>A store of <paramref name="value"/> at k + <paramref name="offset"/> into the <c>ref float</c> <paramref name="target"/>.</summary>
    public static string Store(string value, string target, int offset)
        => $"({value}).StoreUnsafe(ref {target}, k{(offset == 0 ? "" : $" + {offset}")});";

    /// <summary>The float at k + <paramref name="offset"/> of the <c>ref float</c> <paramref name="source"/>, to read or assign.</summary>
    public static string At(string source, int offset)
        => $"Unsafe.Add(ref {source}, k{(offset == 0 ? "" : $" + {offset}")})";
}
