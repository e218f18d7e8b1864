namespace NetGen;

/// <summary>
/// Describes one layer of a generated network: its kind, the shapes it reads and writes, its activation, and the
/// blocks of its parameters in the flat parameter vector. A dense layer's weights are stored row-major, one row per
/// unit (the weight from input i into unit j is at <c>WeightsOffset + j * InputSize + i</c>), then its biases; a
/// convolution's are [filters, inputChannels, kernel, kernel], then its biases, as PyTorch stores them.
/// </summary>
public sealed class LayerInfo
{
    private readonly int[] _inputShape;
    private readonly int[] _outputShape;
    private readonly ParameterBlock[] _blocks;
    private readonly int[] _arguments;

    /// <summary>Describes a layer.</summary>
    /// <param name="kind">The kind of layer.</param>
    /// <param name="inputShape">The shape the layer reads.</param>
    /// <param name="outputShape">The shape the layer writes.</param>
    /// <param name="activation">The activation applied to each output (Identity for layers without one).</param>
    /// <param name="parameters">The layer's blocks of parameters, in the order they are stored; empty for layers without parameters.</param>
    /// <param name="arguments">
    /// The layer's declared arguments beyond its shapes and activation (a convolution's kernel size, stride and padding),
    /// as numbers: they enter the shape fingerprint.
    /// </param>
    public LayerInfo(LayerKind kind, int[] inputShape, int[] outputShape, Activation activation, ParameterBlock[] parameters, int[] arguments)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(outputShape);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(arguments);
        Kind = kind;
        _inputShape = (int[])inputShape.Clone();
        _outputShape = (int[])outputShape.Clone();
        Activation = activation;
        _blocks = (ParameterBlock[])parameters.Clone();
        _arguments = (int[])arguments.Clone();
        InputSize = Shapes.Size(_inputShape);
        OutputSize = Shapes.Size(_outputShape);
    }

    /// <summary>The kind of layer.</summary>
    public LayerKind Kind { get; }

    /// <summary>The shape the layer reads: [features], [steps, features] or [channels, height, width].</summary>
    public IReadOnlyList<int> InputShape => _inputShape;

    /// <summary>The shape the layer writes.</summary>
    public IReadOnlyList<int> OutputShape => _outputShape;

    /// <summary>The number of values the layer reads.</summary>
    public int InputSize { get; }

    /// <summary>The number of values the layer writes (a dense layer's units).</summary>
    public int OutputSize { get; }

    /// <summary>The activation applied to each output.</summary>
    public Activation Activation { get; }

    /// <summary>The layer's blocks of parameters, in the order they are stored.</summary>
    public IReadOnlyList<ParameterBlock> Parameters => _blocks;

    /// <summary>The layer's declared arguments beyond its shapes and activation, as they enter the shape fingerprint.</summary>
    public IReadOnlyList<int> Arguments => _arguments;

    /// <summary>The number of parameters the layer owns.</summary>
    public int ParameterCount
    {
        get
        {
            int count = 0;
            foreach (ParameterBlock block in _blocks)
            {
                count += block.Count;
            }
            return count;
        }
    }

    /// <summary>The layer's first block of <see cref="ParameterRole.Weight"/> parameters.</summary>
    /// <exception cref="InvalidOperationException">The layer has no weights (a pooling layer, say).</exception>
    public ParameterBlock Weights => Find(ParameterRole.Weight) ?? throw new InvalidOperationException($"A {Kind} layer has no weights.");

    /// <summary>The layer's first block of <see cref="ParameterRole.Bias"/> parameters.</summary>
    /// <exception cref="InvalidOperationException">The layer has no biases.</exception>
    public ParameterBlock Biases => Find(ParameterRole.Bias) ?? throw new InvalidOperationException($"A {Kind} layer has no biases.");

    /// <summary>The index of the layer's first weight in the parameter vector (<see cref="Weights"/>' offset).</summary>
    public int WeightsOffset => Weights.Offset;

    /// <summary>The index of the layer's first bias in the parameter vector (<see cref="Biases"/>' offset).</summary>
    public int BiasesOffset => Biases.Offset;

    /// <summary>The number of weights in <see cref="Weights"/> (a dense layer's <see cref="InputSize"/> times <see cref="OutputSize"/>).</summary>
    public int WeightCount => Find(ParameterRole.Weight)?.Count ?? 0;

    /// <summary>The layer as Keras' summary writes a row: kind, output shape, parameters.</summary>
    public override string ToString()
        => $"{Kind} {Shapes.Format(_inputShape)} -> {Shapes.Format(_outputShape)}{(Activation == Activation.Identity ? "" : ", " + Activation)}, {ParameterCount} parameters";

    private ParameterBlock? Find(ParameterRole role)
    {
        foreach (ParameterBlock block in _blocks)
        {
            if (block.Role == role)
            {
                return block;
            }
        }
        return null;
    }
}
