using System;
using System.Collections.Generic;

namespace NetGen.Generator;

/// <summary>
/// The shape of one stride-1 correlation that <see cref="ConvolutionKernelEmitter"/> writes a kernel for:
/// wide[j, q] = bias[j] + sum over c, ky, kx of weights[j, c, ky, kx] * source[origin + c * ChannelStride + ky * RowStride + kx + q],
/// for q in [0, WideLength). The source is an image whose rows are <see cref="RowStride"/> floats apart, padded so that
/// every read is inside it: then each output row y is the run q = y * RowStride .. y * RowStride + width - 1, and the
/// columns between the runs ("wide" columns) are computed and thrown away. That makes every kernel position one
/// contiguous shift of the source, so the positions form long vectors however short the image's rows are.
/// </summary>
/// <param name="Channels">The source's channels, summed over.</param>
/// <param name="KernelSize">The kernel's side.</param>
/// <param name="ChannelStride">Floats from one source channel to the next.</param>
/// <param name="RowStride">Floats from one source row to the next, also the wide output's row length.</param>
/// <param name="WideLength">How many wide positions each filter computes: (height - 1) * RowStride + width.</param>
/// <param name="Origin">The offset of the first source value read, at q = 0, c = ky = kx = 0.</param>
internal readonly record struct CorrelationShape(int Channels, int KernelSize, int ChannelStride, int RowStride, int WideLength, int Origin)
{
    /// <summary>The floats of one filter's weights: [Channels, KernelSize, KernelSize].</summary>
    public int FilterStride => Channels * KernelSize * KernelSize;

    /// <summary>
    /// Where the kernel reads weights[j, c, ky, kx]: by default the filters' own [filters, Channels, K, K] row-major.
    /// The input gradient reads the forward's weights in place through <see cref="WeightLayout.Flipped"/> instead.
    /// </summary>
    public WeightLayout Weights { get; init; } = WeightLayout.RowMajor(Channels, KernelSize);
}

/// <summary>
/// The offset of weights[j, c, ky, kx] from the kernel's first weight: Origin + j * Filter + c * Channel + ky * Row + kx * Column.
/// </summary>
internal readonly record struct WeightLayout(int Filter, int Channel, int Row, int Column, int Origin)
{
    public static WeightLayout RowMajor(int channels, int k) => new(channels * k * k, k * k, k, 1, 0);

    /// <summary>
    /// The forward kernels W[filter, channel, ky, kx] of a layer read as the input gradient's: j an input channel, c a
    /// filter, and the window turned by 180 degrees, Wflipped[j, c, ky, kx] = W[c, j, K - 1 - ky, K - 1 - kx].
    /// </summary>
    public static WeightLayout Flipped(int inputChannels, int k) => new(k * k, inputChannels * k * k, -k, -1, k * k - 1);

    /// <summary>
    /// The C# expression of the offset of weights[j, c, ky, kx], where each of j, c, ky and kx is a loop variable
    /// (a nuint) or a constant (null, with its value in the matching int). Negative strides are summed as nint.
    /// </summary>
    public string Offset((string? Name, int Value) j, (string? Name, int Value) c, (string? Name, int Value) ky, (string? Name, int Value) kx)
    {
        bool signed = Filter < 0 || Channel < 0 || Row < 0 || Column < 0;
        int constant = Origin;
        var terms = new List<string>();
        foreach (var ((name, value), stride) in new[] { (j, Filter), (c, Channel), (ky, Row), (kx, Column) })
        {
            if (name is null)
            {
                constant += value * stride;
                continue;
            }
            string variable = signed ? $"(nint){name}" : name;
            string magnitude = Math.Abs(stride) == 1 ? variable : $"{variable} * {Math.Abs(stride)}";
            terms.Add(terms.Count == 0 ? (stride < 0 ? $"-{magnitude}" : magnitude) : (stride < 0 ? $"- {magnitude}" : $"+ {magnitude}"));
        }
        if (constant != 0 || terms.Count == 0)
        {
            terms.Add(terms.Count == 0 ? constant.ToString(System.Globalization.CultureInfo.InvariantCulture) : constant > 0 ? $"+ {constant}" : $"- {-constant}");
        }
        return string.Join(" ", terms);
    }
}

/// <summary>
/// Writes register-blocked kernels for stride-1 convolutions: a block of filters times a tile of several vectors of
/// wide output positions is kept in registers while the kernel walks every input channel and kernel position, each
/// step one load of the source per vector, one broadcast weight per filter and a multiply-add per accumulator. The
/// sizes are constants, so each width the machine may have gets its own branch with no loop over a remainder: the last
/// tile overlaps the one before it and recomputes a few positions to the same values instead.
/// </summary>
internal static class ConvolutionKernelEmitter
{
    private static readonly (string Type, int Lanes, int Accumulators)[] Widths =
    {
        // AVX-512 has 32 vector registers, the others 16: room for the accumulators, one load per vector and a weight.
        ("Vector512", 16, 20),
        ("Vector256", 8, 12),
        ("Vector128", 4, 12),
    };

    /// <summary>
    /// How many filters one block keeps in registers: all of them up to 6, else a count that divides them (4, 6 or 5),
    /// else 4 and a smaller block for the rest.
    /// </summary>
    public static int FilterBlock(int filters)
        => filters <= 6 ? filters : filters % 4 == 0 ? 4 : filters % 6 == 0 ? 6 : filters % 5 == 0 ? 5 : 4;

    /// <summary>
    /// For <paramref name="filters"/> filters of length <paramref name="wideLength"/>, the vectors of a tile: the count
    /// that fits the registers and wastes least, counting the recomputed positions of the overlapping last tile and one
    /// half instruction per load or broadcast.
    /// </summary>
    private static int VectorsPerTile(int filters, int lanes, int accumulators, int wideLength)
    {
        int most = Math.Max(1, Math.Min(accumulators / filters, wideLength / lanes));
        int best = 1;
        double bestCost = double.MaxValue;
        for (int vectors = 1; vectors <= most; vectors++)
        {
            int tiles = (wideLength + vectors * lanes - 1) / (vectors * lanes);
            double cost = tiles * (filters * vectors + 0.5 * (filters + vectors));
            if (cost < bestCost)
            {
                best = vectors;
                bestCost = cost;
            }
        }
        return best;
    }

    /// <summary>
    /// Writes <c>private static void {name}(ref float weights, [ref float biases,] ref float source, ref float wide)</c>:
    /// the correlation of <paramref name="filters"/> consecutive filters (weights at their first, biases at their first)
    /// with the source, into <paramref name="filters"/> wide rows of <see cref="CorrelationShape.WideLength"/> floats.
    /// With <paramref name="relu"/>, max(z, 0) is stored instead of z.
    /// </summary>
    public static void EmitBlock(IndentedWriter writer, string name, CorrelationShape shape, int filters, bool hasBias, bool relu, string summary)
    {
        int k = shape.KernelSize;
        writer.WriteLine();
        writer.WriteLine($"/// <summary>{summary}</summary>");
        using (writer.Block($"private static void {name}(ref float weights, {(hasBias ? "ref float biases, " : "")}ref float source, ref float wide)"))
        {
            if (shape.Origin != 0)
            {
                writer.WriteLine($"source = ref Unsafe.Add(ref source, {shape.Origin});");
            }
            foreach (var (type, lanes, accumulators) in Widths)
            {
                if (lanes > shape.WideLength)
                {
                    continue;
                }
                int vectors = VectorsPerTile(filters, lanes, accumulators, shape.WideLength);
                int tileLength = vectors * lanes;
                int tiles = (shape.WideLength + tileLength - 1) / tileLength;
                using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    writer.WriteLine($"// {tiles} tile(s) of {filters} filter(s) x {vectors} vector(s){(shape.WideLength % tileLength != 0 ? $"; the last starts at {shape.WideLength - tileLength} and overlaps the one before" : "")}.");
                    using (writer.Block($"for (nuint tile = 0; tile < {tiles}; tile++)"))
                    {
                        if (shape.WideLength % tileLength == 0)
                        {
                            writer.WriteLine($"nuint q = tile * {tileLength};");
                        }
                        else
                        {
                            writer.WriteLine($"nuint q = tile < {tiles - 1} ? tile * {tileLength} : {shape.WideLength - tileLength};");
                        }
                        for (int j = 0; j < filters; j++)
                        {
                            string start = hasBias ? $"{type}.Create({Element("biases", j)})" : $"{type}<float>.Zero";
                            writer.WriteLine(string.Join(" ", Range(vectors, v => $"{type}<float> sum{j}_{v} = {start};")));
                        }
                        using (writer.Block($"for (nuint c = 0; c < {shape.Channels}; c++)"))
                        {
                            using (writer.Block($"for (nuint ky = 0; ky < {k}; ky++)"))
                            {
                                writer.WriteLine($"ref float sourceRow = ref Unsafe.Add(ref source, c * {shape.ChannelStride} + ky * {shape.RowStride} + q);");
                                writer.WriteLine($"ref float kernelRow = ref Unsafe.Add(ref weights, {shape.Weights.Offset((null, 0), ("c", 0), ("ky", 0), (null, 0))});");
                                for (int kx = 0; kx < k; kx++)
                                {
                                    using (writer.Block())
                                    {
                                        for (int v = 0; v < vectors; v++)
                                        {
                                            writer.WriteLine($"{type}<float> x{v} = {type}.LoadUnsafe(ref sourceRow, {kx + v * lanes});");
                                        }
                                        for (int j = 0; j < filters; j++)
                                        {
                                            writer.WriteLine($"{type}<float> w{j} = {type}.Create({Element("kernelRow", j * shape.Weights.Filter + kx * shape.Weights.Column)});");
                                            for (int v = 0; v < vectors; v++)
                                            {
                                                writer.WriteLine($"sum{j}_{v} = {type}.MultiplyAddEstimate(x{v}, w{j}, sum{j}_{v});");
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        for (int j = 0; j < filters; j++)
                        {
                            for (int v = 0; v < vectors; v++)
                            {
                                string value = relu ? $"{type}.Max(sum{j}_{v}, {type}<float>.Zero)" : $"sum{j}_{v}";
                                writer.WriteLine($"{value}.StoreUnsafe(ref wide, q + {j * shape.WideLength + v * lanes});");
                            }
                        }
                    }
                    writer.WriteLine("return;");
                }
                writer.WriteLine();
            }
            EmitScalar(writer, shape, filters, hasBias, relu);
        }
    }

    private static void EmitScalar(IndentedWriter writer, CorrelationShape shape, int filters, bool hasBias, bool relu)
    {
        int k = shape.KernelSize;
        writer.WriteLine("// Without SIMD: one position at a time, summed in the same order.");
        using (writer.Block($"for (nuint j = 0; j < {filters}; j++)"))
        {
            using (writer.Block($"for (nuint q = 0; q < {shape.WideLength}; q++)"))
            {
                writer.WriteLine($"float sum = {(hasBias ? "Unsafe.Add(ref biases, j)" : "0f")};");
                using (writer.Block($"for (nuint c = 0; c < {shape.Channels}; c++)"))
                {
                    using (writer.Block($"for (nuint ky = 0; ky < {k}; ky++)"))
                    {
                        using (writer.Block($"for (nuint kx = 0; kx < {k}; kx++)"))
                        {
                            writer.WriteLine($"sum += Unsafe.Add(ref weights, {shape.Weights.Offset(("j", 0), ("c", 0), ("ky", 0), ("kx", 0))}) * Unsafe.Add(ref source, c * {shape.ChannelStride} + ky * {shape.RowStride} + kx + q);");
                        }
                    }
                }
                writer.WriteLine($"Unsafe.Add(ref wide, j * {shape.WideLength} + q) = {(relu ? "Max(sum, 0f)" : "sum")};");
            }
        }
    }

    /// <summary>The floats between two filters' rows of wide deltas: the wide length rounded up to the widest vector, zeros after it.</summary>
    public static int PaddedWideLength(int wideLength) => (wideLength + 15) / 16 * 16;

    /// <summary>
    /// Writes <c>private static void {name}(ref float deltas, ref float source, ref float target, float scale)</c>: for
    /// every filter f and kernel weight (c, ky, kx), target[f, c, ky, kx] += scale * the sum over q of
    /// deltas[f, q] * source[c * ChannelStride + ky * RowStride + kx + q], the deltas in wide rows of
    /// <see cref="PaddedWideLength"/> with zeros in the thrown-away columns and after the end, so that whole vectors
    /// run to the end (the source has a vector of slack after it). For a block of filters and one kernel row, the sums of
    /// every kernel column stay in registers: each vector of the source is loaded once per column for all the filters.
    /// </summary>
    public static void EmitKernelGradient(IndentedWriter writer, string name, CorrelationShape shape, int filters, string summary)
    {
        int k = shape.KernelSize;
        int stride = PaddedWideLength(shape.WideLength);
        writer.WriteLine();
        writer.WriteLine($"/// <summary>{summary}</summary>");
        using (writer.Block($"private static void {name}(ref float deltas, ref float source, ref float target, float scale)"))
        {
            foreach (var (type, lanes, accumulators) in Widths)
            {
                if (lanes > shape.WideLength)
                {
                    continue;
                }
                int block = Math.Max(1, Math.Min(filters, (accumulators + 1) / (k + 1)));
                int end = (shape.WideLength + lanes - 1) / lanes * lanes;
                using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    int mainEnd = filters - filters % block;
                    using (writer.Block($"for (nuint f = 0; f < {mainEnd}; f += {block})"))
                    {
                        EmitKernelGradientBlock(writer, shape, type, lanes, block, "f", stride, end);
                    }
                    if (mainEnd != filters)
                    {
                        using (writer.Block())
                        {
                            writer.WriteLine($"nuint f = {mainEnd};");
                            EmitKernelGradientBlock(writer, shape, type, lanes, filters - mainEnd, "f", stride, end);
                        }
                    }
                    writer.WriteLine("return;");
                }
                writer.WriteLine();
            }
            writer.WriteLine("// Without SIMD: one weight at a time, summed in the same order.");
            using (writer.Block($"for (nuint f = 0; f < {filters}; f++)"))
            using (writer.Block($"for (nuint c = 0; c < {shape.Channels}; c++)"))
            using (writer.Block($"for (nuint ky = 0; ky < {k}; ky++)"))
            using (writer.Block($"for (nuint kx = 0; kx < {k}; kx++)"))
            {
                writer.WriteLine("float sum = 0f;");
                using (writer.Block($"for (nuint q = 0; q < {shape.WideLength}; q++)"))
                {
                    writer.WriteLine($"sum += Unsafe.Add(ref deltas, f * {stride} + q) * Unsafe.Add(ref source, c * {shape.ChannelStride} + ky * {shape.RowStride} + kx + q);");
                }
                writer.WriteLine($"Unsafe.Add(ref target, f * {shape.FilterStride} + c * {k * k} + ky * {k} + kx) += scale * sum;");
            }
        }
    }

    private static void EmitKernelGradientBlock(IndentedWriter writer, CorrelationShape shape, string type, int lanes, int filters, string first, int stride, int end)
    {
        int k = shape.KernelSize;
        using (writer.Block($"for (nuint c = 0; c < {shape.Channels}; c++)"))
        {
            using (writer.Block($"for (nuint ky = 0; ky < {k}; ky++)"))
            {
                writer.WriteLine($"ref float sourceRow = ref Unsafe.Add(ref source, c * {shape.ChannelStride} + ky * {shape.RowStride});");
                writer.WriteLine($"ref float deltaRow = ref Unsafe.Add(ref deltas, {first} * {stride});");
                for (int j = 0; j < filters; j++)
                {
                    writer.WriteLine(string.Join(" ", Range(k, kx => $"{type}<float> sum{j}_{kx} = {type}<float>.Zero;")));
                }
                using (writer.Block($"for (nuint q = 0; q < {end}; q += {lanes})"))
                {
                    for (int j = 0; j < filters; j++)
                    {
                        writer.WriteLine($"{type}<float> d{j} = {type}.LoadUnsafe(ref deltaRow, q{(j == 0 ? "" : $" + {j * stride}")});");
                    }
                    for (int kx = 0; kx < k; kx++)
                    {
                        using (writer.Block())
                        {
                            writer.WriteLine($"{type}<float> x = {type}.LoadUnsafe(ref sourceRow, q{(kx == 0 ? "" : $" + {kx}")});");
                            for (int j = 0; j < filters; j++)
                            {
                                writer.WriteLine($"sum{j}_{kx} = {type}.MultiplyAddEstimate(x, d{j}, sum{j}_{kx});");
                            }
                        }
                    }
                }
                writer.WriteLine($"ref float targetRow = ref Unsafe.Add(ref target, {first} * {shape.FilterStride} + c * {k * k} + ky * {k});");
                for (int j = 0; j < filters; j++)
                {
                    for (int kx = 0; kx < k; kx++)
                    {
                        writer.WriteLine($"Unsafe.Add(ref targetRow, {j * shape.FilterStride + kx}) += scale * {type}.Sum(sum{j}_{kx});");
                    }
                }
            }
        }
    }

    /// <summary>
    /// Writes <c>private static void {name}(ref float rows, ref float target, float scale)</c>: target[f] += scale * the
    /// sum of row f, for <paramref name="rows"/> rows <paramref name="stride"/> floats apart (a multiple of 16, so that
    /// whole vectors cover each row; the rows carry zeros wherever they hold no value). Each row is summed in a few
    /// independent vector accumulators, so that the additions do not wait on each other.
    /// </summary>
    public static void EmitRowSums(IndentedWriter writer, string name, int rows, int stride, string summary)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>{summary}</summary>");
        using (writer.Block($"private static void {name}(ref float rows, ref float target, float scale)"))
        {
            foreach (var (type, lanes, _) in Widths)
            {
                int vectors = stride / lanes;
                int accumulators = vectors % 4 == 0 ? 4 : vectors % 2 == 0 ? 2 : 1;
                using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    using (writer.Block($"for (nuint f = 0; f < {rows}; f++)"))
                    {
                        writer.WriteLine($"ref float row = ref Unsafe.Add(ref rows, f * {stride});");
                        writer.WriteLine(string.Join(" ", Range(accumulators, a => $"{type}<float> sum{a} = {type}<float>.Zero;")));
                        using (writer.Block($"for (nuint q = 0; q < {stride}; q += {accumulators * lanes})"))
                        {
                            for (int a = 0; a < accumulators; a++)
                            {
                                writer.WriteLine($"sum{a} += {type}.LoadUnsafe(ref row, q{(a == 0 ? "" : $" + {a * lanes}")});");
                            }
                        }
                        string total = accumulators == 1 ? "sum0" : accumulators == 2 ? "sum0 + sum1" : "(sum0 + sum1) + (sum2 + sum3)";
                        writer.WriteLine($"Unsafe.Add(ref target, f) += scale * {type}.Sum({total});");
                    }
                    writer.WriteLine("return;");
                }
            }
            writer.WriteLine("// Without SIMD: one value at a time.");
            using (writer.Block($"for (nuint f = 0; f < {rows}; f++)"))
            {
                writer.WriteLine("float sum = 0f;");
                using (writer.Block($"for (nuint q = 0; q < {stride}; q++)"))
                {
                    writer.WriteLine($"sum += Unsafe.Add(ref rows, f * {stride} + q);");
                }
                writer.WriteLine("Unsafe.Add(ref target, f) += scale * sum;");
            }
        }
    }

    /// <summary>
    /// Writes <c>internal static void {name}(ReadOnlySpan&lt;float&gt; output, Span&lt;float&gt; delta)</c>: delta[i] = output[i] &gt; 0 ? delta[i] : 0
    /// over the whole span, one comparison and one AND per vector (the mask is all ones where the output is positive,
    /// so a NaN output gives 0 and a kept delta keeps its bits), then the last few values one at a time.
    /// </summary>
    public static void EmitReluDerivative(IndentedWriter writer, string name, string summary)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>{summary}</summary>");
        using (writer.Block($"internal static void {name}(ReadOnlySpan<float> output, Span<float> delta)"))
        {
            writer.WriteLine("ref float a = ref MemoryMarshal.GetReference(output);");
            writer.WriteLine("ref float d = ref MemoryMarshal.GetReference(delta);");
            writer.WriteLine("nuint length = (nuint)Math.Min(output.Length, delta.Length);");
            writer.WriteLine("nuint i = 0;");
            string keyword = "if";
            foreach (var (type, lanes, _) in Widths)
            {
                using (writer.Block($"{keyword} ({type}.IsHardwareAccelerated)"))
                {
                    using (writer.Block($"for (; i + {lanes} <= length; i += {lanes})"))
                    {
                        writer.WriteLine($"{type}<float> positive = {type}.GreaterThan({type}.LoadUnsafe(ref a, i), {type}<float>.Zero);");
                        writer.WriteLine($"({type}.LoadUnsafe(ref d, i) & positive).StoreUnsafe(ref d, i);");
                    }
                }
                keyword = "else if";
            }
            using (writer.Block("for (; i < length; i++)"))
            {
                writer.WriteLine("Unsafe.Add(ref d, i) = Unsafe.Add(ref a, i) > 0f ? Unsafe.Add(ref d, i) : 0f;");
            }
        }
    }

    /// <summary>Copies <paramref name="count"/> floats between two refs, a block of constant size that the JIT unrolls.</summary>
    public static string CopyFloats(string source, string destination, int count)
        => $"Unsafe.CopyBlockUnaligned(ref Unsafe.As<float, byte>(ref {destination}), ref Unsafe.As<float, byte>(ref {source}), {count * sizeof(float)});";

    private static string Element(string reference, int offset) => offset == 0 ? reference : $"Unsafe.Add(ref {reference}, {offset})";

    private static IEnumerable<string> Range(int count, Func<int, string> item)
    {
        for (int i = 0; i < count; i++)
        {
            yield return item(i);
        }
    }
}
