namespace NetGen;

/// <summary>
/// A named block of a layer's parameters inside the flat parameter vector, such as a convolution's
/// <c>weight [8, 1, 3, 3]</c> or its <c>bias [8]</c>. The block is stored row-major over <see cref="Shape"/>, as PyTorch
/// stores the tensor of the same name.
/// </summary>
public sealed class ParameterBlock
{
    private readonly int[] _shape;

    /// <summary>Describes a block of parameters.</summary>
    /// <param name="name">The block's name, as PyTorch's <c>state_dict</c> names it within the layer: "weight", "bias"...</param>
    /// <param name="role">What the block is for.</param>
    /// <param name="offset">The index of the block's first parameter in the flat parameter vector.</param>
    /// <param name="shape">The block's dimensions, outermost first.</param>
    /// <exception cref="ArgumentException">A dimension is below 1, or the offset is negative.</exception>
    public ParameterBlock(string name, ParameterRole role, int offset, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        int count = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 1)
            {
                throw new ArgumentException($"Every dimension of a parameter block must be at least 1; '{name}' has shape {Shapes.Format(shape)}.", nameof(shape));
            }
            count = checked(count * dimension);
        }
        Name = name;
        Role = role;
        Offset = offset;
        _shape = (int[])shape.Clone();
        Count = count;
    }

    /// <summary>The block's name within its layer.</summary>
    public string Name { get; }

    /// <summary>What the block is for.</summary>
    public ParameterRole Role { get; }

    /// <summary>The index of the block's first parameter in the flat parameter vector.</summary>
    public int Offset { get; }

    /// <summary>The block's dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The number of parameters in the block: the product of its dimensions.</summary>
    public int Count { get; }

    /// <summary>
    /// The number of inputs each output of the block's layer reads through it, for initialization: the block's count
    /// divided by its first dimension (a dense layer's inputs; a convolution's input channels times the kernel's area).
    /// </summary>
    public int FanIn => Count / _shape[0];

    /// <summary>
    /// The number of outputs each input reaches through the block, for initialization: the first dimension times the
    /// dimensions after the second (a dense layer's units; a convolution's filters times the kernel's area), as
    /// <c>torch.nn.init</c> computes it.
    /// </summary>
    public int FanOut => _shape.Length < 2 ? _shape[0] : Count / _shape[1];

    /// <summary>The block as "name [d0, d1, ...] at offset".</summary>
    public override string ToString() => $"{Name} {Shapes.Format(_shape)} at {Offset}";
}
