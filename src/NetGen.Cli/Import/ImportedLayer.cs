namespace NetGen.Cli.Import;

/// <summary>
/// One NetGen layer read from an ONNX model: its kind, shapes and activation, its declared arguments, and its
/// parameters in NetGen's layout (a dense layer's weights [units, inputs] row-major, a convolution's
/// [filters, channels, k, k], then the biases).
/// </summary>
internal sealed class ImportedLayer
{
    public ImportedLayer(LayerKind kind, int[] inputShape, int[] outputShape)
    {
        Kind = kind;
        InputShape = inputShape;
        OutputShape = outputShape;
    }

    public LayerKind Kind { get; }

    public int[] InputShape { get; }

    public int[] OutputShape { get; }

    public Activation Activation { get; set; } = Activation.Identity;

    /// <summary>A dense layer's units or a convolution's filters.</summary>
    public int Units { get; init; }

    /// <summary>A convolution's kernel size or a pooling layer's window size.</summary>
    public int Size { get; init; }

    /// <summary>A convolution's or a pooling layer's stride.</summary>
    public int Stride { get; init; }

    public Padding Padding { get; init; }

    /// <summary>The weights in NetGen's layout, empty for layers without parameters.</summary>
    public float[] Weights { get; init; } = [];

    /// <summary>The weights' shape: [units, inputs] or [filters, channels, k, k].</summary>
    public int[] WeightShape { get; init; } = [];

    /// <summary>The biases, empty for layers without parameters. A MatMul's Add fills them after the layer is made.</summary>
    public float[] Biases { get; init; } = [];

    /// <summary>The layer's arguments as the generator computes them for the shape fingerprint (docs/file-format.md).</summary>
    public int[] FingerprintArguments => Kind switch
    {
        LayerKind.Dense => [],
        LayerKind.Conv2D => [.. InputShapeArguments, Units, Size, Stride, (int)Padding],
        LayerKind.MaxPool2D or LayerKind.AveragePool2D => [.. InputShapeArguments, Size, Stride],
        _ => InputShapeArguments,
    };

    private int[] InputShapeArguments => [InputShape.Length, .. InputShape];

    /// <summary>The layer as the runtime describes it, with its blocks at <paramref name="offset"/> in the parameter vector.</summary>
    public LayerInfo ToLayerInfo(int offset)
    {
        ParameterBlock[] blocks = Weights.Length == 0
            ? []
            : [new ParameterBlock("weight", ParameterRole.Weight, offset, WeightShape), new ParameterBlock("bias", ParameterRole.Bias, offset + Weights.Length, Biases.Length)];
        return new LayerInfo(Kind, InputShape, OutputShape, Activation, blocks, FingerprintArguments);
    }
}
