using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// One layer: the shape it reads, the shape it writes, its activation and its blocks of parameters. Each kind of layer
/// is a record deriving from this one, with a parser (Parsing/Layers) and an emitter (Emit/Layers) of its own, so that
/// a new kind adds those three and changes nothing else.
/// </summary>
internal abstract record LayerModel(Shape InputShape, Shape OutputShape, Activation Activation)
{
    public abstract LayerKind Kind { get; }

    public int InputSize => InputShape.Size;

    public int OutputSize => OutputShape.Size;

    /// <summary>The layer's parameters as named blocks, in the order they are stored (PyTorch's state_dict order).</summary>
    public abstract EquatableArray<ParameterBlockModel> Blocks { get; }

    /// <summary>How many parameters the layer owns in the flat parameter vector.</summary>
    public int ParameterCount => Blocks.Sum(b => b.Count);

    public long LongParameterCount => Blocks.Sum(b => b.Shape.LongSize);

    /// <summary>Multiplications and additions in one forward pass (an addition and a multiplication count as two).</summary>
    public abstract long FlopsPerPrediction { get; }

    /// <summary>The probability of dropping each output while training; 0 when the layer has no dropout.</summary>
    public virtual float DropoutRate => 0f;

    /// <summary>
    /// The layer's declared arguments beyond its sizes and activation, as numbers, for the shape fingerprint and the
    /// runtime's <c>LayerInfo</c>: every layer but a dense one gives its input's rank and dimensions first.
    /// </summary>
    public virtual EquatableArray<int> Arguments => EquatableArray<int>.Empty;

    /// <summary>The input's rank and dimensions: how the arguments of every layer but a dense one start.</summary>
    protected int[] InputShapeArguments => new[] { InputShape.Rank }.Concat(InputShape.Dimensions).ToArray();
}
