namespace NetGen.Generator;

/// <summary>
/// Emits a flatten layer: an image or a sequence is already stored row-major as one span, which is exactly the vector
/// torch.flatten makes of it, so both steps are a copy.
/// </summary>
internal sealed class FlattenLayerEmitter : SampleLoopLayerEmitter
{
    public FlattenLayerEmitter(FlattenLayerModel layer, int number, int parameterOffset, bool isOutput)
        : base(layer, number, parameterOffset, isOutput)
    {
    }

    protected override string ForwardSummary => "the values as they are stored, row-major, read as one vector (torch.flatten's order).";

    protected override void EmitForwardBody(IndentedWriter writer, VectorKernelEmitter kernels)
        => writer.WriteLine("input.CopyTo(output);");

    protected override void EmitBackwardBody(IndentedWriter writer, VectorKernelEmitter kernels, ParameterGradient parameterGradient, bool writeInputGradient)
        => writer.WriteLine("delta.CopyTo(inputGradient);");
}
