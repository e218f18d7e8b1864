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
                                writer.WriteLine($"ref float kernelRow = ref Unsafe.Add(ref weights, c * {k * k} + ky * {k});");
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
                                            writer.WriteLine($"{type}<float> w{j} = {type}.Create({Element("kernelRow", j * shape.FilterStride + kx)});");
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
                            writer.WriteLine($"sum += Unsafe.Add(ref weights, j * {shape.FilterStride} + c * {k * k} + ky * {k} + kx) * Unsafe.Add(ref source, c * {shape.ChannelStride} + ky * {shape.RowStride} + kx + q);");
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
