namespace NetGen.Onnx.Export;

/// <summary>
/// SimpleRnn, Lstm and Gru as ONNX's RNN, LSTM and GRU, written as torch.onnx.export writes PyTorch's batch-first
/// layers: the input [batch, steps, features] transposed to ONNX's [steps, batch, features], W [1, G units, features],
/// R [1, G units, units] and B [1, 2 G units] (bias_ih then bias_hh) with the gate blocks in ONNX's order, a zero
/// initial state (the inputs left out). A GRU has linear_before_reset = 1: PyTorch's r (W_hn h + b_hn). The output is
/// Y [steps, 1, batch, units] squeezed and transposed back to [batch, steps, units] when the layer returns sequences,
/// else the last state Y_h [1, batch, units] squeezed to [batch, units]. ONNX Runtime's CPU kernels read only
/// layout = 0 (time first), hence the transposes.
/// </summary>
internal sealed class RecurrentExporter(string opType) : ILayerExporter
{
    public string Export(OnnxGraphBuilder graph, LayerExportContext layer)
    {
        LayerInfo info = layer.Layer;
        IReadOnlyList<int> arguments = layer.DeclaredArguments(info.Kind == LayerKind.SimpleRnn ? 3 : 2);
        int units = arguments[0];
        bool returnSequences = arguments[1] != 0;
        int features = info.InputShape[1];
        int gates = RecurrentGateOrder.Gates(info.Kind);
        ParameterBlock[] blocks = [.. info.Parameters];
        ParameterBlock inputWeights = Block(layer, blocks, "weight_ih"), recurrentWeights = Block(layer, blocks, "weight_hh");
        ParameterBlock inputBiases = Block(layer, blocks, "bias_ih"), recurrentBiases = Block(layer, blocks, "bias_hh");

        string w = graph.FloatInitializer($"{layer.Name}.W", RecurrentGateOrder.ToOnnx(info.Kind, layer.Values(inputWeights), units * features), 1, gates * units, features);
        string r = graph.FloatInitializer($"{layer.Name}.R", RecurrentGateOrder.ToOnnx(info.Kind, layer.Values(recurrentWeights), units * units), 1, gates * units, units);
        float[] biases = [.. RecurrentGateOrder.ToOnnx(info.Kind, layer.Values(inputBiases), units), .. RecurrentGateOrder.ToOnnx(info.Kind, layer.Values(recurrentBiases), units)];
        string b = graph.FloatInitializer($"{layer.Name}.B", biases, 1, 2 * gates * units);

        string timeFirst = graph.Node("Transpose", $"{layer.Name}_time_first", [layer.Input], OnnxGraphBuilder.Ints("perm", 1, 0, 2));
        var attributes = new List<global::Onnx.AttributeProto> { OnnxGraphBuilder.Int("hidden_size", units) };
        if (info.Kind == LayerKind.Gru)
        {
            attributes.Add(OnnxGraphBuilder.Int("linear_before_reset", 1));
        }
        if (info.Kind == LayerKind.SimpleRnn)
        {
            var activation = (Activation)arguments[2];
            attributes.Add(OnnxGraphBuilder.Strings("activations", activation switch
            {
                Activation.Tanh => "Tanh",
                Activation.ReLU => "Relu",
                _ => throw new NotSupportedException($"Layer {layer.Index + 1} (SimpleRnn) has the nonlinearity {activation}; ONNX's RNN reads Tanh or ReLU."),
            }));
        }
        int outputCount = info.Kind == LayerKind.Lstm ? 3 : 2;
        string[] outputs = graph.NodeWithOutputs(opType, layer.Name, [timeFirst, w, r, b], outputCount, [returnSequences ? 0 : 1], [.. attributes]);
        if (returnSequences)
        {
            string directionAxis = graph.Int64Initializer($"{layer.Name}.direction_axis", 1);
            string steps = graph.Node("Squeeze", $"{layer.Name}_steps", [outputs[0], directionAxis]);
            return graph.Node("Transpose", $"{layer.Name}_batch_first", [steps], OnnxGraphBuilder.Ints("perm", 1, 0, 2));
        }
        string stateAxis = graph.Int64Initializer($"{layer.Name}.direction_axis", 0);
        return graph.Node("Squeeze", $"{layer.Name}_last_state", [outputs[0], stateAxis]);
    }

    private static ParameterBlock Block(LayerExportContext layer, ParameterBlock[] blocks, string name)
        => blocks.FirstOrDefault(block => block.Name == name)
           ?? throw new InvalidOperationException($"Layer {layer.Index + 1} ({layer.Layer.Kind}) has no parameter block '{name}'; it has {string.Join(", ", blocks.Select(block => block.Name))}.");
}
