namespace NetGen.Generator;

/// <summary>
/// A gated recurrent unit layer, as PyTorch's <c>GRU</c>: r, z = sigmoid(W_i x + b_i + W_h h + b_h),
/// n = tanh(W_in x + b_in + r (W_hn h + b_hn)) and h' = (1 - z) n + z h.
/// </summary>
internal sealed record GruLayerModel(Shape InputShape, int Units, bool ReturnSequences)
    : RecurrentLayerModel(InputShape, Units, ReturnSequences)
{
    public override LayerKind Kind => LayerKind.Gru;

    public override int Gates => 3;

    public override string GateNames => "r, z, n";

    /// <summary>r, z, n, and W_hn h + b_hn, which the gradient of r needs.</summary>
    public override int CellScratch => 4 * Units;

    /// <summary>The gradients of r, z and n's sums on the input side, and of W_hn h + b_hn on the hidden side.</summary>
    public override int GateGradientScratch => 4 * Units;
}
