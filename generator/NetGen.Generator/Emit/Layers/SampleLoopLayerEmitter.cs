namespace NetGen.Generator;

/// <summary>
/// The base of the layers whose micro-batch methods run the per-sample methods on each sample in turn (convolution,
/// pooling, flatten): such layers reuse their weights across positions within one sample, so there is no reuse left to
/// gain by turning the loops across samples. A subclass writes the bodies of the forward and backward steps once; this
/// class wraps them into the five methods every layer provides.
/// </summary>
internal abstract class SampleLoopLayerEmitter : LayerEmitter
{
    protected SampleLoopLayerEmitter(LayerModel layer, int number, int parameterOffset, bool isOutput)
        : base(layer, number, parameterOffset, isOutput)
    {
    }

    /// <summary>What a backward body does with the parameters' gradient.</summary>
    protected enum ParameterGradient
    {
        /// <summary>Nothing: only dL/dinput is wanted.</summary>
        None,

        /// <summary>Adds dL/dtheta into <c>gradient</c>.</summary>
        Add,

        /// <summary>Applies theta -= learningRate dL/dtheta to <c>parameters</c>.</summary>
        Descend,
    }

    /// <summary>Whether the layer has any backward method: a first layer without parameters needs none.</summary>
    private bool HasBackward => HasParameters || !IsFirst;

    /// <summary>A sentence for the forward method's summary: what the layer computes.</summary>
    protected abstract string ForwardSummary { get; }

    /// <summary>The forward step for one sample: reads <c>input</c> (and <c>parameters</c>), writes all of <c>output</c>.</summary>
    protected abstract void EmitForwardBody(IndentedWriter writer, VectorKernelEmitter kernels);

    /// <summary>
    /// The backward step for one sample, given <c>delta</c> = dL/dz of the layer's outputs and its <c>input</c>: does what
    /// <paramref name="parameterGradient"/> says with the parameters' gradient, and when
    /// <paramref name="writeInputGradient"/> writes dL/dinput into <c>inputGradient</c> (all of it).
    /// </summary>
    protected abstract void EmitBackwardBody(IndentedWriter writer, VectorKernelEmitter kernels, ParameterGradient parameterGradient, bool writeInputGradient);

    /// <summary>
    /// For a layer that keeps state for its backward step (<see cref="LayerEmitter.SavedFloats"/>), the training pass's
    /// forward step for one sample: what <see cref="EmitForwardBody"/> writes, and the state into <c>saved</c>, which
    /// the backward body then reads.
    /// </summary>
    protected virtual void EmitSavingForwardBody(IndentedWriter writer, VectorKernelEmitter kernels)
    {
    }

    /// <summary>The <c>saved</c> parameter after the others, for a layer that keeps state for its backward step; else nothing.</summary>
    private string SavedParameter(bool written) => SavedFloats == 0 ? "" : written ? ", Span<float> saved" : ", ReadOnlySpan<float> saved";

    /// <summary>One sample's slice of a micro-batch's <c>saved</c>, as an argument after the others; else nothing.</summary>
    private string SavedSlice => SavedFloats == 0 ? "" : $", saved.Slice(s * {SavedFloats}, {SavedFloats})";

    public override void EmitForward(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}, {Layer.Kind} {Layer.InputShape} -> {Layer.OutputShape}: {ForwardSummary}</summary>");
        using (writer.Block($"internal static void {ForwardName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output)"))
        {
            EmitForwardBody(writer, kernels);
        }
        if (SavedFloats > 0)
        {
            writer.WriteLine();
            writer.WriteLine($"/// <summary>Layer {Number} in a training pass: what the other {ForwardName} computes, keeping in saved ({SavedFloats} floats) what the backward pass reads.</summary>");
            using (writer.Block($"internal static void {ForwardName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output{SavedParameter(written: true)})"))
            {
                EmitSavingForwardBody(writer, kernels);
            }
        }
    }

    public override void EmitBackward(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        if (!HasBackward)
        {
            return;
        }
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number} backward, given delta = dL/dz of its outputs{(HasParameters ? ": adds dL/dtheta into gradient" : "")}{(IsFirst ? "" : $"{(HasParameters ? " and" : ":")} writes dL/dinput into inputGradient")}.</summary>");
        using (writer.Block($"internal static void {BackwardName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> delta, Span<float> gradient{(IsFirst ? "" : ", Span<float> inputGradient")}{SavedParameter(written: false)})"))
        {
            EmitBackwardBody(writer, kernels, HasParameters ? ParameterGradient.Add : ParameterGradient.None, writeInputGradient: !IsFirst);
        }
    }

    public override string InputGradientArguments(string input, string delta, string inputGradient) => $"parameters, {input}, {delta}, {inputGradient}";

    public override void EmitInputGradient(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        if (IsFirst)
        {
            return;
        }
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}: dL/dinput from delta = dL/dz, with the parameters as they are.</summary>");
        using (writer.Block($"internal static void {InputGradientName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> delta, Span<float> inputGradient{SavedParameter(written: false)})"))
        {
            EmitBackwardBody(writer, kernels, ParameterGradient.None, writeInputGradient: true);
        }
    }

    public override void EmitSgdUpdate(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}, one sample's step of gradient descent: theta -= learningRate dL/dtheta, each parameter's gradient summed first.</summary>");
        using (writer.Block($"internal static void {SgdUpdateName}(Span<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> delta, float learningRate{SavedParameter(written: false)})"))
        {
            EmitBackwardBody(writer, kernels, ParameterGradient.Descend, writeInputGradient: false);
        }
    }

    public override void EmitForwardBatch(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number} for <paramref name=\"count\"/> samples, one row each: {ForwardName} on each row.</summary>");
        using (writer.Block($"internal static void {ForwardBatchName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int count{SavedParameter(written: true)})"))
        {
            using (writer.Block("for (int s = 0; s < count; s++)"))
            {
                writer.WriteLine($"{ForwardName}(parameters, inputs.Slice(s * {Layer.InputSize}, {Layer.InputSize}), outputs.Slice(s * {Layer.OutputSize}, {Layer.OutputSize}){SavedSlice});");
            }
        }
    }

    public override void EmitBackwardBatch(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        if (!HasBackward)
        {
            return;
        }
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number} backward for <paramref name=\"count\"/> samples, one row each: {BackwardName} on each row{(HasParameters ? "; with <paramref name=\"overwrite\"/>, the layer's gradient is replaced by their sum instead of added to" : "")}.</summary>");
        using (writer.Block($"internal static void {BackwardBatchName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> deltas, Span<float> gradient{(IsFirst ? "" : ", Span<float> inputGradients")}, int count, bool overwrite{SavedParameter(written: false)})"))
        {
            if (HasParameters)
            {
                using (writer.Block("if (overwrite)"))
                {
                    writer.WriteLine($"gradient.Slice({ParameterOffset}, {Layer.ParameterCount}).Clear();");
                }
            }
            using (writer.Block("for (int s = 0; s < count; s++)"))
            {
                string inputGradient = IsFirst ? "" : $", inputGradients.Slice(s * {Layer.InputSize}, {Layer.InputSize})";
                writer.WriteLine($"{BackwardName}(parameters, inputs.Slice(s * {Layer.InputSize}, {Layer.InputSize}), deltas.Slice(s * {Layer.OutputSize}, {Layer.OutputSize}), gradient{inputGradient}{SavedSlice});");
            }
        }
    }
}
