namespace NetGen.Generator;

/// <summary>
/// A named block of a layer's parameters, as PyTorch names the tensor within the layer ("weight", "bias"), with its
/// role and shape. Blocks are stored one after the other, in order, from the layer's first parameter.
/// </summary>
internal sealed record ParameterBlockModel(string Name, ParameterRole Role, Shape Shape)
{
    public int Count => Shape.Size;

    /// <summary>The inputs each output reads through the block: the count over the first dimension (as torch.nn.init).</summary>
    public int FanIn => Count / Shape[0];

    /// <summary>The outputs each input reaches: the count over the second dimension (as torch.nn.init).</summary>
    public int FanOut => Shape.Rank < 2 ? Shape[0] : Count / Shape[1];
}
