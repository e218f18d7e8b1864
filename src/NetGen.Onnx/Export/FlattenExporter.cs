namespace NetGen.Onnx.Export;

/// <summary>Flatten(axis = 1): [batch, c, h, w] becomes [batch, c * h * w] in torch.flatten's order, which is NetGen's.</summary>
internal sealed class FlattenExporter : ILayerExporter
{
    public string Export(OnnxGraphBuilder graph, LayerExportContext layer)
        => graph.Node("Flatten", layer.Name, [layer.Input], OnnxGraphBuilder.Int("axis", 1));
}
