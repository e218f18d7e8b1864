namespace NetGen.Onnx.Export;

/// <summary>
/// An embedding as Gather(weight, Cast(input, int64)): the float token ids of NetGen's input as ONNX's int64 indices,
/// each picking a row of the weight [vocabulary, dimensions], as torch.onnx.export writes nn.Embedding.
/// </summary>
internal sealed class EmbeddingExporter : ILayerExporter
{
    public string Export(OnnxGraphBuilder graph, LayerExportContext layer)
    {
        string weights = layer.Initializer(graph, layer.Layer.Parameters[0]);
        string ids = graph.Node("Cast", $"{layer.Name}_ids", [layer.Input], OnnxGraphBuilder.Int("to", (long)global::Onnx.TensorProto.Types.DataType.Int64));
        return graph.Node("Gather", layer.Name, [weights, ids], OnnxGraphBuilder.Int("axis", 0));
    }

    /// <summary>The padding id of an embedding layer (its last declared argument), or -1 when it declares none.</summary>
    public static int PaddingIndex(LayerExportContext layer, LayerInfo embedding)
    {
        IReadOnlyList<int> arguments = embedding.Arguments;
        if (arguments.Count != 1 + embedding.InputShape.Count + 3)
        {
            throw new InvalidOperationException(
                $"Layer {layer.Index} (Embedding) has the arguments [{string.Join(", ", arguments)}]; expected its input's rank, its dimensions, the vocabulary, the dimensions and the padding id.");
        }
        return arguments[^1];
    }
}
