using System.Linq;

namespace NetGen.Generator;

/// <summary>An Elman RNN, as PyTorch's <c>RNN</c>: h' = f(W_ih x + b_ih + W_hh h + b_hh), f being tanh or ReLU.</summary>
internal sealed record SimpleRnnLayerModel(Shape InputShape, int Units, Activation CellActivation, bool ReturnSequences)
    : RecurrentLayerModel(InputShape, Units, ReturnSequences)
{
    public override LayerKind Kind => LayerKind.SimpleRnn;

    public override int Gates => 1;

    public override string GateNames => "h";

    /// <summary>As a recurrent layer's, followed by the cell's activation.</summary>
    public override EquatableArray<int> Arguments => base.Arguments.Concat(new[] { (int)CellActivation }).ToEquatableArray();
}
