namespace NetGen.Onnx.Export;

/// <summary>A layer's activation as ONNX nodes after the layer's own.</summary>
internal static class ActivationExporter
{
    /// <summary>Adds the nodes of <paramref name="activation"/> applied to <paramref name="input"/>; returns the activated tensor's name.</summary>
    public static string Apply(OnnxGraphBuilder graph, LayerExportContext layer, Activation activation, string input)
    {
        string name = $"{layer.Name}_{activation.ToString().ToLowerInvariant()}";
        switch (activation)
        {
            case Activation.Identity:
                return input;
            case Activation.Sigmoid:
                return graph.Node("Sigmoid", name, [input]);
            case Activation.Tanh:
                return graph.Node("Tanh", name, [input]);
            case Activation.ReLU:
                return graph.Node("Relu", name, [input]);
            case Activation.Step:
                // NetGen's step is 1 where z >= 0, else 0.
                string zero = graph.FloatInitializer($"{name}.zero", [0f]);
                string reached = graph.Node("GreaterOrEqual", $"{name}_compare", [input, zero]);
                return graph.Node("Cast", name, [reached], OnnxGraphBuilder.Int("to", (long)global::Onnx.TensorProto.Types.DataType.Float));
            case Activation.Softmax:
                return Softmax(graph, layer, name, input);
            default:
                throw new NotSupportedException($"Layer {layer.Index + 1} ({layer.Layer.Kind}) has the activation {activation}, which ONNX export does not cover.");
        }
    }

    /// <summary>Softmax over all of the layer's outputs: over the last axis of a vector, through a flattened copy of an image.</summary>
    private static string Softmax(OnnxGraphBuilder graph, LayerExportContext layer, string name, string input)
    {
        IReadOnlyList<int> shape = layer.Layer.OutputShape;
        if (shape.Count == 1)
        {
            return graph.Node("Softmax", name, [input], OnnxGraphBuilder.Int("axis", -1));
        }
        string flat = graph.Node("Flatten", $"{name}_flatten", [input], OnnxGraphBuilder.Int("axis", 1));
        string normalized = graph.Node("Softmax", name, [flat], OnnxGraphBuilder.Int("axis", -1));
        string target = graph.Int64Initializer($"{name}.shape", [-1, .. shape.Select(d => (long)d)]);
        return graph.Node("Reshape", $"{name}_reshape", [normalized, target]);
    }
}
