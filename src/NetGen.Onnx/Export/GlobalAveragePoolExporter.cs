namespace NetGen.Onnx.Export;

/// <summary>
/// GlobalAveragePool of an image as GlobalAveragePool then Flatten ([batch, c, 1, 1] to [batch, c]); of a sequence
/// [batch, steps, features] as ReduceMean over the steps. Right after an embedding with a padding id p, the mean
/// over the positions whose token is not p, in the ops torch.onnx.export writes for
/// <c>(e * m).sum(1) / m.sum(1).clamp(min=1)</c> with <c>m = (ids != p).float().unsqueeze(-1)</c>:
/// m = Unsqueeze(Cast(Not(Equal(ids, p)), float), 2), then Div(ReduceSum(Mul(e, m), 1), Max(ReduceSum(m, 1), 1)).
/// The floor of 1 makes a text of padding only average to zero, as NetGen's does. The ids are the network's input
/// (an embedding is always the first layer), cast to int64 as the embedding casts them.
/// </summary>
internal sealed class GlobalAveragePoolExporter : ILayerExporter
{
    public string Export(OnnxGraphBuilder graph, LayerExportContext layer)
    {
        switch (layer.Layer.InputShape.Count)
        {
            case 3:
                string pooled = graph.Node("GlobalAveragePool", layer.Name, [layer.Input]);
                return graph.Node("Flatten", $"{layer.Name}_flatten", [pooled], OnnxGraphBuilder.Int("axis", 1));
            case 2 when layer.Previous is { Kind: LayerKind.Embedding } embedding && EmbeddingExporter.PaddingIndex(layer, embedding) >= 0:
                return PaddingMaskedMean(graph, layer, EmbeddingExporter.PaddingIndex(layer, embedding));
            case 2:
                // Opset 17 still takes ReduceMean's axes as an attribute (an input from opset 18 on).
                return graph.Node("ReduceMean", layer.Name, [layer.Input], OnnxGraphBuilder.Ints("axes", 1), OnnxGraphBuilder.Int("keepdims", 0));
            default:
                throw new NotSupportedException(
                    $"Layer {layer.Index + 1} (GlobalAveragePool) reads the shape [{string.Join(", ", layer.Layer.InputShape)}]; ONNX export covers images [c, h, w] and sequences [steps, features].");
        }
    }

    private static string PaddingMaskedMean(OnnxGraphBuilder graph, LayerExportContext layer, int paddingIndex)
    {
        string ids = graph.Node("Cast", $"{layer.Name}_ids", [OnnxExport.InputName], OnnxGraphBuilder.Int("to", (long)global::Onnx.TensorProto.Types.DataType.Int64));
        string padding = graph.Int64Initializer($"{layer.Name}.padding_id", paddingIndex);
        string isPadding = graph.Node("Equal", $"{layer.Name}_is_padding", [ids, padding]);
        string isToken = graph.Node("Not", $"{layer.Name}_is_token", [isPadding]);
        string mask = graph.Node("Cast", $"{layer.Name}_mask", [isToken], OnnxGraphBuilder.Int("to", (long)global::Onnx.TensorProto.Types.DataType.Float));
        string featureAxis = graph.Int64Initializer($"{layer.Name}.feature_axis", 2);
        string column = graph.Node("Unsqueeze", $"{layer.Name}_mask_column", [mask, featureAxis]);
        string masked = graph.Node("Mul", $"{layer.Name}_masked", [layer.Input, column]);
        // ReduceSum takes its axes as an input from opset 13 on.
        string stepAxis = graph.Int64Initializer($"{layer.Name}.step_axis", 1);
        string sum = graph.Node("ReduceSum", $"{layer.Name}_sum", [masked, stepAxis], OnnxGraphBuilder.Int("keepdims", 0));
        string count = graph.Node("ReduceSum", $"{layer.Name}_count", [column, stepAxis], OnnxGraphBuilder.Int("keepdims", 0));
        string one = graph.FloatInitializer($"{layer.Name}.one", [1f]);
        string atLeastOne = graph.Node("Max", $"{layer.Name}_count_at_least_one", [count, one]);
        return graph.Node("Div", layer.Name, [sum, atLeastOne]);
    }
}
