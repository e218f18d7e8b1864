namespace NetGen.Generator;

/// <summary>
/// Emits max or average pooling over each channel of an image. Max pooling's backward step finds each window's
/// largest value again from the input (the first one in reading order, as PyTorch does) instead of remembering it, so
/// the layer needs no scratch of its own.
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

    protected override void EmitForwardBody(IndentedWriter writer, VectorKernelEmitter kernels)
    {
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
