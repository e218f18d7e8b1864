using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// A recurrent layer over a sequence [steps, features], as PyTorch's RNN, LSTM and GRU with <c>batch_first</c>: from a
/// zero state, each step reads one row x_t and the previous hidden state h, and writes the new h. The output is every
/// step's h, [steps, units], with <see cref="ReturnSequences"/>, else the last step's, [units]. The parameters are
/// PyTorch's: weight_ih [G units, features], weight_hh [G units, units], bias_ih [G units], bias_hh [G units], with
/// G = <see cref="Gates"/>. The layer's own <see cref="LayerModel.Activation"/> is Identity: the cell's nonlinearities
/// are inside it, so nothing outside the layer applies an activation to its output.
/// </summary>
internal abstract record RecurrentLayerModel(Shape InputShape, int Units, bool ReturnSequences)
    : LayerModel(InputShape, ReturnSequences ? Shape.Sequence(InputShape[0], Units) : Shape.Vector(Units), Activation.Identity)
{
    public int Steps => InputShape[0];

    public int Features => InputShape[1];

    /// <summary>The number of gate blocks G: 1 for a simple RNN, 4 for an LSTM (i, f, g, o), 3 for a GRU (r, z, n).</summary>
    public abstract int Gates { get; }

    /// <summary>The gate blocks' names in PyTorch's order, for comments and documentation.</summary>
    public abstract string GateNames { get; }

    /// <summary>Whether the cell carries a cell state c besides h (an LSTM).</summary>
    public virtual bool HasCellState => false;

    /// <summary>Floats the cell keeps per step for the backward pass: the gates' activations (and, for a GRU, W_hn h + b_hn).</summary>
    public virtual int CellScratch => Gates * Units;

    /// <summary>Floats per step of the gradients of the gates' weighted sums (a GRU keeps the hidden side of n apart).</summary>
    public virtual int GateGradientScratch => Gates * Units;

    /// <summary>
    /// The floats per sample a training pass's forward step keeps for the backward step (the pass holds them between the
    /// two): every step's state (the zero state first) and gates, and for an LSTM every step's h before the step in a row
    /// of its own (its states interleave h and c), which the gradient of W_hh reads.
    /// </summary>
    public int SavedFloats
        => (Steps + 1) * Units * (HasCellState ? 2 : 1) + Steps * CellScratch + (HasCellState ? Steps * Units : 0);

    /// <summary>
    /// The floats a layer's backward pass keeps on the stack: every step's gate gradients, dL/dh (twice) and dL/dc, and a
    /// block of four weight rows for the SGD step.
    /// </summary>
    public long BackwardScratchFloats
        => (long)Steps * GateGradientScratch + 3L * Units + 4L * System.Math.Max(Features, Units);

    public override EquatableArray<ParameterBlockModel> Blocks => new[]
    {
        new ParameterBlockModel("weight_ih", ParameterRole.Weight, Shape.Sequence(Gates * Units, Features)),
        new ParameterBlockModel("weight_hh", ParameterRole.RecurrentWeight, Shape.Sequence(Gates * Units, Units)),
        new ParameterBlockModel("bias_ih", ParameterRole.Bias, Shape.Vector(Gates * Units)),
        new ParameterBlockModel("bias_hh", ParameterRole.Bias, Shape.Vector(Gates * Units)),
    }.ToEquatableArray();

    public override long FlopsPerPrediction => (long)Steps * (2L * Gates * Units * (Features + Units) + 2L * Gates * Units);

    /// <summary>The input's rank and dimensions, the units, and ReturnSequences as 0 or 1.</summary>
    public override EquatableArray<int> Arguments
        => InputShapeArguments.Concat(new[] { Units, ReturnSequences ? 1 : 0 }).ToEquatableArray();
}
