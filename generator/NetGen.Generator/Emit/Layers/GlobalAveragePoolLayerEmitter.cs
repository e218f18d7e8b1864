namespace NetGen.Generator;

/// <summary>Emits the mean over every position: of each channel of an image, or of each feature over a sequence's steps.</summary>
internal sealed class GlobalAveragePoolLayerEmitter : SampleLoopLayerEmitter
{
    private readonly GlobalAveragePoolLayerModel _pool;

    public GlobalAveragePoolLayerEmitter(GlobalAveragePoolLayerModel layer, int number, int parameterOffset, bool isOutput)
        : base(layer, number, parameterOffset, isOutput)
    {
        _pool = layer;
    }

    private bool Image => _pool.InputShape.IsImage;

    private int Outputs => _pool.OutputSize;

    private int Positions => _pool.Positions;

    /// <summary>The index of position p of output o: channels hold their positions together, sequences their features.</summary>
    private string Index => Image ? $"o * {Positions} + p" : $"p * {Outputs} + o";

    protected override string ForwardSummary => Image
        ? $"out[c] = the mean of channel c's {Positions} values."
        : $"out[f] = the mean of feature f over the {Positions} steps.";

    protected override void EmitForwardBody(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        using (writer.Block($"for (int o = 0; o < {Outputs}; o++)"))
        {
            writer.WriteLine("float sum = 0f;");
            using (writer.Block($"for (int p = 0; p < {Positions}; p++)"))
            {
                writer.WriteLine($"sum += input[{Index}];");
            }
            writer.WriteLine($"output[o] = sum * (1f / {Positions});");
        }
    }

    protected override void EmitBackwardBody(IndentedWriter writer, VectorKernelEmitter kernels, ParameterGradient parameterGradient, bool writeInputGradient)
    {
        writer.WriteLine($"// Each output's delta is shared equally by the {Positions} values it averaged.");
        using (writer.Block($"for (int o = 0; o < {Outputs}; o++)"))
        {
            writer.WriteLine($"float share = delta[o] * (1f / {Positions});");
            using (writer.Block($"for (int p = 0; p < {Positions}; p++)"))
            {
                writer.WriteLine($"inputGradient[{Index}] = share;");
            }
        }
    }
}
