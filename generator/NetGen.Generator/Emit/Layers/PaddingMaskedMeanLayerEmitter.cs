using System.Globalization;

namespace NetGen.Generator;

/// <summary>
/// Emits a <c>[GlobalAveragePool]</c> right after an embedding with a padding id: the mean of each feature over the
/// positions whose token is not padding. The token ids are in the network's input, which every method of the layer
/// takes as its last argument, <c>tokens</c>. The padding positions add nothing and are not counted, so padding a
/// text to any length leaves its prediction and its gradient as they were, bit for bit. A text of padding only
/// averages nothing: its mean is zero.
/// </summary>
internal sealed class PaddingMaskedMeanLayerEmitter : LayerEmitter
{
    private readonly GlobalAveragePoolLayerModel _pool;

    public PaddingMaskedMeanLayerEmitter(GlobalAveragePoolLayerModel layer, int number, int parameterOffset, bool isOutput)
        : base(layer, number, parameterOffset, isOutput)
    {
        _pool = layer;
    }

    public override bool ReadsNetworkInput => true;

    private int Features => _pool.OutputSize;

    private int Positions => _pool.Positions;

    private string PaddingId => _pool.PaddingIndex.ToString(CultureInfo.InvariantCulture) + "f";

    public override void EmitForward(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}, {Layer.Kind} {Layer.InputShape} -> {Layer.OutputShape}: out[f] = the mean of feature f over the steps whose token (in <paramref name=\"tokens\"/>) is not the padding id {_pool.PaddingIndex}; zero when every token is padding.</summary>");
        using (writer.Block($"internal static void {ForwardName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> tokens)"))
        {
            writer.WriteLine("output.Clear();");
            writer.WriteLine("int kept = 0;");
            using (writer.Block($"for (int p = 0; p < {Positions}; p++)"))
            {
                using (writer.Block($"if (tokens[p] == {PaddingId})"))
                {
                    writer.WriteLine("continue;");
                }
                writer.WriteLine("kept++;");
                writer.WriteLine($"{kernels.MultiplyAdd(Features)}(1f, ref Unsafe.AsRef(in input[p * {Features}]), ref output[0]);");
            }
            writer.WriteLine("float share = kept == 0 ? 0f : 1f / kept;");
            using (writer.Block($"for (int f = 0; f < {Features}; f++)"))
            {
                writer.WriteLine("output[f] *= share;");
            }
        }
    }

    /// <summary>The body shared by the backward and input-gradient methods: dL/dinput from delta, zero at the padding positions.</summary>
    private void EmitInputGradientBody(IndentedWriter writer)
    {
        writer.WriteLine("int kept = 0;");
        using (writer.Block($"for (int p = 0; p < {Positions}; p++)"))
        {
            writer.WriteLine($"kept += tokens[p] == {PaddingId} ? 0 : 1;");
        }
        writer.WriteLine("float share = kept == 0 ? 0f : 1f / kept;");
        writer.WriteLine("// Each output's delta is shared equally by the steps it averaged; the padding steps get none.");
        using (writer.Block($"for (int p = 0; p < {Positions}; p++)"))
        {
            writer.WriteLine($"Span<float> step = inputGradient.Slice(p * {Features}, {Features});");
            using (writer.Block($"if (tokens[p] == {PaddingId})"))
            {
                writer.WriteLine("step.Clear();");
                writer.WriteLine("continue;");
            }
            using (writer.Block($"for (int f = 0; f < {Features}; f++)"))
            {
                writer.WriteLine("step[f] = delta[f] * share;");
            }
        }
    }

    public override void EmitBackward(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number} backward, given delta = dL/dz of its outputs: writes dL/dinput into inputGradient, zero at the padding steps.</summary>");
        using (writer.Block($"internal static void {BackwardName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> delta, Span<float> gradient, Span<float> inputGradient, ReadOnlySpan<float> tokens)"))
        {
            EmitInputGradientBody(writer);
        }
    }

    public override string InputGradientArguments(string input, string delta, string inputGradient) => $"parameters, {input}, {delta}, {inputGradient}";

    public override void EmitInputGradient(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number}: dL/dinput from delta = dL/dz, zero at the padding steps.</summary>");
        using (writer.Block($"internal static void {InputGradientName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> delta, Span<float> inputGradient, ReadOnlySpan<float> tokens)"))
        {
            EmitInputGradientBody(writer);
        }
    }

    /// <summary>Nothing to write: the layer has no parameters, and the network emits steps only for layers that have some.</summary>
    public override void EmitSgdUpdate(IndentedWriter writer, VectorKernelEmitter kernels)
    {
    }

    public override void EmitForwardBatch(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number} for <paramref name=\"count\"/> samples, one row each: {ForwardName} on each row, with its row of tokens.</summary>");
        using (writer.Block($"internal static void {ForwardBatchName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int count, ReadOnlySpan<float> tokens)"))
        {
            using (writer.Block("for (int s = 0; s < count; s++)"))
            {
                writer.WriteLine($"{ForwardName}(parameters, inputs.Slice(s * {Layer.InputSize}, {Layer.InputSize}), outputs.Slice(s * {Features}, {Features}), tokens.Slice(s * {Positions}, {Positions}));");
            }
        }
    }

    public override void EmitBackwardBatch(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Layer {Number} backward for <paramref name=\"count\"/> samples, one row each: {BackwardName} on each row, with its row of tokens.</summary>");
        using (writer.Block($"internal static void {BackwardBatchName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> deltas, Span<float> gradient, Span<float> inputGradients, int count, bool overwrite, ReadOnlySpan<float> tokens)"))
        {
            using (writer.Block("for (int s = 0; s < count; s++)"))
            {
                writer.WriteLine($"{BackwardName}(parameters, inputs.Slice(s * {Layer.InputSize}, {Layer.InputSize}), deltas.Slice(s * {Features}, {Features}), gradient, inputGradients.Slice(s * {Layer.InputSize}, {Layer.InputSize}), tokens.Slice(s * {Positions}, {Positions}));");
            }
        }
    }
}
