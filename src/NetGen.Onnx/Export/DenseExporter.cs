namespace NetGen.Onnx.Export;

/// <summary>A dense layer as Gemm(x, W, b, transB = 1): NetGen stores W as [units, inputs], as PyTorch's Linear does.</summary>
internal sealed class DenseExporter : ILayerExporter
{
    public string Export(OnnxGraphBuilder graph, LayerExportContext layer)
    {
        LayerInfo info = layer.Layer;
        string weights = graph.FloatInitializer($"{layer.Name}.weight", layer.Values(info.Weights), info.OutputSize, info.InputSize);
        string biases = graph.FloatInitializer($"{layer.Name}.bias", layer.Values(info.Biases), info.OutputSize);
        return graph.Node("Gemm", layer.Name, [layer.Input, weights, biases], OnnxGraphBuilder.Int("transB", 1));
    }
}
