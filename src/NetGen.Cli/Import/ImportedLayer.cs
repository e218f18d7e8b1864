namespace NetGen.Cli.Import;

/// <summary>
/// One NetGen layer read from an ONNX model: its kind, shapes and activation, its declared arguments, and its
/// parameters in NetGen's layout (a dense layer's weights [units, inputs] row-major, a convolution's
/// [filters, channels, k, k], then the biases; a recurrent layer's weight_ih, weight_hh, bias_ih and bias_hh in
/// PyTorch's layout and gate order; an embedding's weight [vocabulary, dimensions]).
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

    /// <summary>The shape the layer writes; a recurrent layer's changes when the chain takes its last step only.</summary>
    public int[] OutputShape { get; set; }

    public Activation Activation { get; set; } = Activation.Identity;

    /// <summary>A dense layer's units, a convolution's filters, a recurrent layer's units or an embedding's dimensions.</summary>
    public int Units { get; init; }

    /// <summary>A convolution's kernel size or a pooling layer's window size.</summary>
    public int Size { get; init; }

    /// <summary>A convolution's or a pooling layer's stride.</summary>
    public int Stride { get; init; }

    public Padding Padding { get; init; }

    /// <summary>Whether a recurrent layer writes every step's state, [steps, units], or only the last, [units].</summary>
    public bool ReturnSequences { get; set; }

    /// <summary>A SimpleRnn's nonlinearity, Tanh or ReLU.</summary>
    public Activation CellActivation { get; init; } = Activation.Tanh;

    /// <summary>An embedding's number of token ids.</summary>
    public int Vocabulary { get; init; }

    /// <summary>An embedding's padding id, or -1; a padding-masked mean after the embedding sets it.</summary>
    public int PaddingIndex { get; set; } = -1;

    /// <summary>A recurrent layer's weight_hh [G units, units], in PyTorch's layout; empty for other layers.</summary>
    public float[] RecurrentWeights { get; init; } = [];

    /// <summary>A recurrent layer's bias_hh [G units]; empty for other layers (<see cref="Biases"/> holds bias_ih).</summary>
    public float[] RecurrentBiases { get; init; } = [];

    /// <summary>Every parameter of the layer in NetGen's order: weights then biases; weight_ih, weight_hh, bias_ih, bias_hh.</summary>
    public IEnumerable<float> ParameterValues()
        => IsRecurrent ? [.. Weights, .. RecurrentWeights, .. Biases, .. RecurrentBiases] : [.. Weights, .. Biases];

    /// <summary>The number of parameters the layer owns.</summary>
    public int ParameterCount => Weights.Length + RecurrentWeights.Length + Biases.Length + RecurrentBiases.Length;

    private bool IsRecurrent => Kind is LayerKind.SimpleRnn or LayerKind.Lstm or LayerKind.Gru;

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
        LayerKind.SimpleRnn => [.. InputShapeArguments, Units, ReturnSequences ? 1 : 0, (int)CellActivation],
        LayerKind.Lstm or LayerKind.Gru => [.. InputShapeArguments, Units, ReturnSequences ? 1 : 0],
        LayerKind.Embedding => [.. InputShapeArguments, Vocabulary, Units, PaddingIndex],
        _ => InputShapeArguments,
    };

    private int[] InputShapeArguments => [InputShape.Length, .. InputShape];

    /// <summary>The layer as the runtime describes it, with its blocks at <paramref name="offset"/> in the parameter vector.</summary>
    public LayerInfo ToLayerInfo(int offset)
    {
        int gateUnits = IsRecurrent ? WeightShape[0] : 0;
        ParameterBlock[] blocks = Weights.Length == 0 ? []
            : IsRecurrent ?
            [
                new ParameterBlock("weight_ih", ParameterRole.Weight, offset, WeightShape),
                new ParameterBlock("weight_hh", ParameterRole.RecurrentWeight, offset + Weights.Length, gateUnits, Units),
                new ParameterBlock("bias_ih", ParameterRole.Bias, offset + Weights.Length + RecurrentWeights.Length, gateUnits),
                new ParameterBlock("bias_hh", ParameterRole.Bias, offset + Weights.Length + RecurrentWeights.Length + Biases.Length, gateUnits),
            ]
            : Kind == LayerKind.Embedding ? [new ParameterBlock("weight", ParameterRole.Embedding, offset, WeightShape)]
            : [new ParameterBlock("weight", ParameterRole.Weight, offset, WeightShape), new ParameterBlock("bias", ParameterRole.Bias, offset + Weights.Length, Biases.Length)];
        return new LayerInfo(Kind, InputShape, OutputShape, Activation, blocks, FingerprintArguments);
    }
}
