namespace NetGen.Onnx.Export;

/// <summary>
/// GlobalAveragePool of an image as GlobalAveragePool then Flatten ([batch, c, 1, 1] to [batch, c]); of a sequence
/// [batch, steps, features] as ReduceMean over the steps.
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
            case 2:
                // Opset 17 still takes ReduceMean's axes as an attribute (an input from opset 18 on).
                return graph.Node("ReduceMean", layer.Name, [layer.Input], OnnxGraphBuilder.Ints("axes", 1), OnnxGraphBuilder.Int("keepdims", 0));
            default:
                throw new NotSupportedException(
                    $"Layer {layer.Index + 1} (GlobalAveragePool) reads the shape [{string.Join(", ", layer.Layer.InputShape)}]; ONNX export covers images [c, h, w] and sequences [steps, features].");
        }
    }
}
