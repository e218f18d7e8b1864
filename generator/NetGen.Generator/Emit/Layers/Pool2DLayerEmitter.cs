namespace NetGen.Generator;

/// <summary>
/// Emits max or average pooling over each channel of an image. Max pooling's backward step finds each window's
/// largest value again from the input (the first one in reading order, as PyTorch does) instead of remembering it, so
/// the layer needs no scratch of its own. For windows up to 4x4 both steps go a row of windows at a time: a kernel
/// computes the window at every input column of the row with vectors (shifted loads, one per window value), and the
/// step keeps every stride-th column, so no lane has to be gathered.
/// </summary>
internal sealed class Pool2DLayerEmitter : SampleLoopLayerEmitter
{
    private readonly Pool2DLayerModel _pool;

    public Pool2DLayerEmitter(Pool2DLayerModel layer, int number, int parameterOffset, bool isOutput)
        : base(layer, number, parameterOffset, isOutput)
    {
        _pool = layer;
    }

    private int Window => _pool.Size;

    protected override string ForwardSummary => _pool.TakesMaximum
        ? $"out[c, y, x] = the largest of the {Window}x{Window} window of channel c at (y * {_pool.Stride}, x * {_pool.Stride})."
        : $"out[c, y, x] = the mean of the {Window}x{Window} window of channel c at (y * {_pool.Stride}, x * {_pool.Stride}).";

    /// <summary>Opens the loops over channels and output positions, with <c>corner</c> the index of the window's first input value.</summary>
    private System.IDisposable[] OpenOutputLoops(IndentedWriter writer)
    {
        var scopes = new System.IDisposable[3];
        scopes[0] = writer.Block($"for (int c = 0; c < {_pool.Channels}; c++)");
        scopes[1] = writer.Block($"for (int y = 0; y < {_pool.OutputHeight}; y++)");
        scopes[2] = writer.Block($"for (int x = 0; x < {_pool.OutputWidth}; x++)");
        writer.WriteLine($"int outputIndex = (c * {_pool.OutputHeight} + y) * {_pool.OutputWidth} + x;");
        writer.WriteLine($"int corner = (c * {_pool.InputHeight} + y * {_pool.Stride}) * {_pool.InputWidth} + x * {_pool.Stride};");
        return scopes;
    }

    private static void Close(System.IDisposable[] scopes)
    {
        for (int i = scopes.Length - 1; i >= 0; i--)
        {
            scopes[i].Dispose();
        }
    }

    /// <summary>Windows up to this many values are written out position by position, their offsets constants.</summary>
    private const int UnrolledWindow = 16;

    private bool Unrolled => Window * Window <= UnrolledWindow;

    /// <summary>The offsets of the window's values from its corner, in reading order.</summary>
    private System.Collections.Generic.IEnumerable<int> WindowOffsets()
    {
        for (int wy = 0; wy < Window; wy++)
        {
            for (int wx = 0; wx < Window; wx++)
            {
                yield return wy * _pool.InputWidth + wx;
            }
        }
    }

    /// <summary>Writes the search for the window's largest value: <c>best</c> its index; NaN wins, as in PyTorch.</summary>
    private void EmitArgMax(IndentedWriter writer)
    {
        writer.WriteLine("int best = corner;");
        if (Unrolled)
        {
            foreach (int offset in WindowOffsets())
            {
                if (offset == 0)
                {
                    continue;
                }
                writer.WriteLine($"if (input[corner + {offset}] > input[best] || float.IsNaN(input[corner + {offset}])) best = corner + {offset};");
            }
            return;
        }
        using (writer.Block($"for (int wy = 0; wy < {Window}; wy++)"))
        {
            using (writer.Block($"for (int wx = 0; wx < {Window}; wx++)"))
            {
                writer.WriteLine($"int index = corner + wy * {_pool.InputWidth} + wx;");
                using (writer.Block("if (input[index] > input[best] || float.IsNaN(input[index]))"))
                {
                    writer.WriteLine("best = index;");
                }
            }
        }
    }

    /// <summary>
    /// How many input columns of a row of windows the vectorized forward step computes a window at: every column from
    /// the first window's to the last one's, (OutputWidth - 1) * stride + 1 of them.
    /// </summary>
    private int WindowColumns => (_pool.OutputWidth - 1) * _pool.Stride + 1;

    /// <summary>Whether the forward step computes whole rows of windows with vectors: small windows, rows of at least one short vector.</summary>
    private bool VectorizesForward => Unrolled && WindowColumns >= 4;

    private string RowKernelName => $"Layer{Number}Window{(_pool.TakesMaximum ? "Maxima" : "Means")}";

    public override void EmitForward(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        if (VectorizesForward)
        {
            EmitRowKernel(writer);
            if (_pool.TakesMaximum)
            {
                EmitArgMaxKernel(writer);
            }
        }
        base.EmitForward(writer, kernels);
    }

    /// <summary>
    /// The kernel of the vectorized forward step: for the input rows of one row of windows, the window's result at
    /// every column p of <see cref="WindowColumns"/>, windows[p], each vector a shifted load per window value. The
    /// forward step then keeps every stride-th. The last vector overlaps the one before, computing the same values.
    /// </summary>
    private void EmitRowKernel(IndentedWriter writer)
    {
        int columns = WindowColumns;
        string what = _pool.TakesMaximum ? "largest value" : "mean";
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}: windows[p] = the {what} of the {Window}x{Window} window whose top left is rows[p], for p = 0..{columns - 1} (rows {_pool.InputWidth} floats apart).</summary>");
        using (writer.Block($"private static void {RowKernelName}(ref float rows, ref float windows)"))
        {
            EmitColumnVectorLoops(writer, columns, (type, lanes) =>
            {
                bool first = true;
                foreach (int offset in WindowOffsets())
                {
                    string load = $"{type}.LoadUnsafe(ref rows, p{(offset == 0 ? "" : $" + {offset}")})";
                    writer.WriteLine(first
                        ? $"{type}<float> window = {load};"
                        : _pool.TakesMaximum ? $"window = {type}.Max(window, {load});" : $"window += {load};");
                    first = false;
                }
                writer.WriteLine(_pool.TakesMaximum
                    ? "window.StoreUnsafe(ref windows, p);"
                    : $"(window * (1f / {Window * Window})).StoreUnsafe(ref windows, p);");
            });
            writer.WriteLine("// Without SIMD: one window at a time, in the same order.");
            using (writer.Block($"for (nuint p = 0; p < {columns}; p++)"))
            {
                bool first = true;
                foreach (int offset in WindowOffsets())
                {
                    string load = $"Unsafe.Add(ref rows, p{(offset == 0 ? "" : $" + {offset}")})";
                    writer.WriteLine(first
                        ? $"float window = {load};"
                        : _pool.TakesMaximum ? $"window = Max(window, {load});" : $"window += {load};");
                    first = false;
                }
                writer.WriteLine(_pool.TakesMaximum ? "Unsafe.Add(ref windows, p) = window;" : $"Unsafe.Add(ref windows, p) = window * (1f / {Window * Window});");
            }
        }
    }

    /// <summary>
    /// The vector branches of a row kernel over <paramref name="columns"/> window columns, widest first, each a loop
    /// of whole vectors at column p whose last vector overlaps the one before; <paramref name="body"/> writes one
    /// vector's work. A branch returns when it has run.
    /// </summary>
    private static void EmitColumnVectorLoops(IndentedWriter writer, int columns, System.Action<string, int> body)
    {
        foreach (var (type, lanes) in new[] { ("Vector512", 16), ("Vector256", 8), ("Vector128", 4) })
        {
            if (lanes > columns)
            {
                continue;
            }
            int vectors = (columns + lanes - 1) / lanes;
            using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
            {
                using (writer.Block($"for (nuint i = 0; i < {vectors}; i++)"))
                {
                    writer.WriteLine(columns % lanes == 0 ? $"nuint p = i * {lanes};" : $"nuint p = i < {vectors - 1} ? i * {lanes} : {columns - lanes};");
                    body(type, lanes);
                }
                writer.WriteLine("return;");
            }
        }
    }

    private string ArgMaxKernelName => $"Layer{Number}WindowArgMax";

    /// <summary>
    /// The backward step's kernel for max pooling: for the input rows of one row of windows, which value each window
    /// at column p took, as its offset from rows[p], best[p]. As in <see cref="EmitArgMax"/>: the first largest in
    /// reading order, and a NaN wins. Selects replace the scalar search's branches, which real data mispredicts often.
    /// </summary>
    private void EmitArgMaxKernel(IndentedWriter writer)
    {
        int columns = WindowColumns;
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}: best[p] = the offset from rows[p] of the value the {Window}x{Window} window at rows[p] takes, for p = 0..{columns - 1}: the first largest in reading order, or the last NaN.</summary>");
        using (writer.Block($"private static void {ArgMaxKernelName}(ref float rows, ref int best)"))
        {
            EmitColumnVectorLoops(writer, columns, (type, lanes) =>
            {
                writer.WriteLine($"{type}<float> largest = {type}.LoadUnsafe(ref rows, p);");
                writer.WriteLine($"{type}<int> offset = {type}<int>.Zero;");
                foreach (int offset in WindowOffsets())
                {
                    if (offset == 0)
                    {
                        continue;
                    }
                    using (writer.Block())
                    {
                        writer.WriteLine($"{type}<float> value = {type}.LoadUnsafe(ref rows, p + {offset});");
                        writer.WriteLine($"{type}<int> takes = ({type}.GreaterThan(value, largest) | ~{type}.Equals(value, value)).AsInt32();");
                        writer.WriteLine($"offset = {type}.ConditionalSelect(takes, {type}.Create({offset}), offset);");
                        writer.WriteLine($"largest = {type}.Max(largest, value);");
                    }
                }
                writer.WriteLine("offset.StoreUnsafe(ref best, p);");
            });
            writer.WriteLine("// Without SIMD: one window at a time.");
            using (writer.Block($"for (nuint p = 0; p < {columns}; p++)"))
            {
                writer.WriteLine("int taken = 0;");
                foreach (int offset in WindowOffsets())
                {
                    if (offset != 0)
                    {
                        writer.WriteLine($"if (Unsafe.Add(ref rows, p + {offset}) > Unsafe.Add(ref rows, p + (nuint)taken) || float.IsNaN(Unsafe.Add(ref rows, p + {offset}))) taken = {offset};");
                    }
                }
                writer.WriteLine("Unsafe.Add(ref best, p) = taken;");
            }
        }
    }

    protected override void EmitForwardBody(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        if (VectorizesForward)
        {
            writer.WriteLine($"Span<float> windowRow = stackalloc float[{WindowColumns}];");
            writer.WriteLine("ref float windows = ref MemoryMarshal.GetReference(windowRow);");
            writer.WriteLine("ref float inputStart = ref MemoryMarshal.GetReference(input);");
            writer.WriteLine("ref float outputStart = ref MemoryMarshal.GetReference(output);");
            using (writer.Block($"for (int c = 0; c < {_pool.Channels}; c++)"))
            using (writer.Block($"for (int y = 0; y < {_pool.OutputHeight}; y++)"))
            {
                writer.WriteLine($"{RowKernelName}(ref Unsafe.Add(ref inputStart, (c * {_pool.InputHeight} + y * {_pool.Stride}) * {_pool.InputWidth}), ref windows);");
                writer.WriteLine($"ref float outputRow = ref Unsafe.Add(ref outputStart, (c * {_pool.OutputHeight} + y) * {_pool.OutputWidth});");
                using (writer.Block($"for (nuint x = 0; x < {_pool.OutputWidth}; x++)"))
                {
                    writer.WriteLine($"Unsafe.Add(ref outputRow, x) = Unsafe.Add(ref windows, {(_pool.Stride == 1 ? "x" : $"x * {_pool.Stride}")});");
                }
            }
            return;
        }
        var scopes = OpenOutputLoops(writer);
        if (_pool.TakesMaximum && Unrolled)
        {
            writer.WriteLine("// The largest value; Max lets NaN through, as PyTorch does.");
            writer.WriteLine("float largest = input[corner];");
            foreach (int offset in WindowOffsets())
            {
                if (offset != 0)
                {
                    writer.WriteLine($"largest = Max(largest, input[corner + {offset}]);");
                }
            }
            writer.WriteLine("output[outputIndex] = largest;");
        }
        else if (_pool.TakesMaximum)
        {
            EmitArgMax(writer);
            writer.WriteLine("output[outputIndex] = input[best];");
        }
        else
        {
            writer.WriteLine("float sum = 0f;");
            using (writer.Block($"for (int wy = 0; wy < {Window}; wy++)"))
            {
                using (writer.Block($"for (int wx = 0; wx < {Window}; wx++)"))
                {
                    writer.WriteLine($"sum += input[corner + wy * {_pool.InputWidth} + wx];");
                }
            }
            writer.WriteLine($"output[outputIndex] = sum * (1f / {Window * Window});");
        }
        Close(scopes);
    }

    protected override void EmitBackwardBody(IndentedWriter writer, VectorKernelEmitter kernels, ParameterGradient parameterGradient, bool writeInputGradient)
    {
        writer.WriteLine(_pool.TakesMaximum
            ? "// Each delta goes to the input value its window took, found again; overlapping windows add up."
            : $"// Each delta is shared equally by the {Window * Window} input values of its window; overlapping windows add up.");
        writer.WriteLine("inputGradient.Clear();");
        if (_pool.TakesMaximum && VectorizesForward)
        {
            writer.WriteLine($"Span<int> bestRow = stackalloc int[{WindowColumns}];");
            writer.WriteLine("ref int best = ref MemoryMarshal.GetReference(bestRow);");
            writer.WriteLine("ref float inputStart = ref MemoryMarshal.GetReference(input);");
            writer.WriteLine("ref float deltaStart = ref MemoryMarshal.GetReference(delta);");
            writer.WriteLine("ref float gradientStart = ref MemoryMarshal.GetReference(inputGradient);");
            using (writer.Block($"for (int c = 0; c < {_pool.Channels}; c++)"))
            using (writer.Block($"for (int y = 0; y < {_pool.OutputHeight}; y++)"))
            {
                writer.WriteLine($"int rowStart = (c * {_pool.InputHeight} + y * {_pool.Stride}) * {_pool.InputWidth};");
                writer.WriteLine($"{ArgMaxKernelName}(ref Unsafe.Add(ref inputStart, rowStart), ref best);");
                writer.WriteLine($"ref float deltaRow = ref Unsafe.Add(ref deltaStart, (c * {_pool.OutputHeight} + y) * {_pool.OutputWidth});");
                writer.WriteLine("ref float gradientRow = ref Unsafe.Add(ref gradientStart, rowStart);");
                using (writer.Block($"for (nuint x = 0; x < {_pool.OutputWidth}; x++)"))
                {
                    string corner = _pool.Stride == 1 ? "x" : $"x * {_pool.Stride}";
                    writer.WriteLine($"Unsafe.Add(ref gradientRow, {corner} + (nuint)Unsafe.Add(ref best, {corner})) += Unsafe.Add(ref deltaRow, x);");
                }
            }
            return;
        }
        var scopes = OpenOutputLoops(writer);
        if (_pool.TakesMaximum)
        {
            EmitArgMax(writer);
            writer.WriteLine("inputGradient[best] += delta[outputIndex];");
        }
        else
        {
            writer.WriteLine($"float share = delta[outputIndex] * (1f / {Window * Window});");
            using (writer.Block($"for (int wy = 0; wy < {Window}; wy++)"))
            {
                using (writer.Block($"for (int wx = 0; wx < {Window}; wx++)"))
                {
                    writer.WriteLine($"inputGradient[corner + wy * {_pool.InputWidth} + wx] += share;");
                }
            }
        }
        Close(scopes);
    }
}
