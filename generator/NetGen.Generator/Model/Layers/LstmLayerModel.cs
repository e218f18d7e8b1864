namespace NetGen.Generator;

/// <summary>
/// A long short-term memory layer, as PyTorch's <c>LSTM</c>: gates i, f, o = sigmoid and g = tanh of
/// W_ih x + b_ih + W_hh h + b_hh, then c' = f c + i g and h' = o tanh(c').
/// </summary>
internal sealed record LstmLayerModel(Shape InputShape, int Units, bool ReturnSequences)
    : RecurrentLayerModel(InputShape, Units, ReturnSequences)
{
    public override LayerKind Kind => LayerKind.Lstm;

    public override int Gates => 4;

    public override string GateNames => "i, f, g, o";

    public override bool HasCellState => true;
}
