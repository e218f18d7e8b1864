namespace NetGen;

/// <summary>
/// Declares a gated recurrent unit layer over a sequence [steps, features], as PyTorch's <c>GRU</c> with
/// <c>batch_first</c>: from a zero state, at each step r = sigmoid(W_ir x + b_ir + W_hr h + b_hr),
/// z = sigmoid(W_iz x + b_iz + W_hz h + b_hz), n = tanh(W_in x + b_in + r (W_hn h + b_hn)) and h' = (1 - z) n + z h.
/// Its parameters are stored as PyTorch stores them, gates in the order r, z, n: weight_ih [3 units, features],
/// weight_hh [3 units, units], bias_ih [3 units], bias_hh [3 units].
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GruAttribute : Attribute
{
    /// <summary>Declares a layer of <paramref name="units"/> hidden units.</summary>
    /// <param name="units">The size of the hidden state; at least 1.</param>
    public GruAttribute(int units)
    {
        Units = units;
    }

    /// <summary>The size of the hidden state.</summary>
    public int Units { get; }

    /// <summary>
    /// Whether the layer writes its hidden state at every step, a sequence [steps, units], or only at the last step, a
    /// vector [units]. The default is false: the last step's.
    /// </summary>
    public bool ReturnSequences { get; set; }
}
