namespace NetGen.Onnx.Export;

/// <summary>MaxPool2D and AveragePool2D as MaxPool and AveragePool: no padding, floor mode, as NetGen pools.</summary>
internal sealed class Pool2DExporter(string opType) : ILayerExporter
{
    public string Export(OnnxGraphBuilder graph, LayerExportContext layer)
    {
        IReadOnlyList<int> arguments = layer.DeclaredArguments(2);
        int size = arguments[0], stride = arguments[1];
        return graph.Node(opType, layer.Name, [layer.Input],
            OnnxGraphBuilder.Ints("kernel_shape", size, size),
            OnnxGraphBuilder.Ints("strides", stride, stride));
    }
}
