namespace NetGen.Onnx.Export;

/// <summary>
/// Writes one kind of NetGen layer as ONNX nodes, without its activation (<see cref="ActivationExporter"/> adds that).
/// A new layer kind gets its own exporter, registered in <see cref="LayerExporters.For"/>.
/// </summary>
internal interface ILayerExporter
{
    /// <summary>Adds the layer's nodes and initializers to <paramref name="graph"/>; returns the name of the tensor it computes.</summary>
    string Export(OnnxGraphBuilder graph, LayerExportContext layer);
}
