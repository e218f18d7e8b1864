namespace NetGen.Onnx.Export;

/// <summary>
/// A convolution as Conv with explicit pads: Same padding puts the odd zero below and right, as NetGen (and PyTorch's
/// padding='same', and ONNX's SAME_UPPER) do; writing the pads out keeps the model free of auto_pad.
/// </summary>
internal sealed class Conv2DExporter : ILayerExporter
{
    public string Export(OnnxGraphBuilder graph, LayerExportContext layer)
    {
        LayerInfo info = layer.Layer;
        IReadOnlyList<int> arguments = layer.DeclaredArguments(4);
        int kernel = arguments[1], stride = arguments[2];
        var padding = (Padding)arguments[3];
        (int top, int bottom) = Pads(padding, info.InputShape[1], info.OutputShape[1], kernel, stride);
        (int left, int right) = Pads(padding, info.InputShape[2], info.OutputShape[2], kernel, stride);
        string weights = layer.Initializer(graph, info.Weights);
        string biases = layer.Initializer(graph, info.Biases);
        return graph.Node("Conv", layer.Name, [layer.Input, weights, biases],
            OnnxGraphBuilder.Ints("kernel_shape", kernel, kernel),
            OnnxGraphBuilder.Ints("strides", stride, stride),
            OnnxGraphBuilder.Ints("pads", top, left, bottom, right));
    }

    /// <summary>The zeros before and after the input along one axis: none for Valid; for Same, what reaches the output length, the odd one after.</summary>
    internal static (int Before, int After) Pads(Padding padding, int input, int output, int kernel, int stride)
    {
        if (padding == Padding.Valid)
        {
            return (0, 0);
        }
        int total = Math.Max((output - 1) * stride + kernel - input, 0);
        return (total / 2, total - total / 2);
    }
}
