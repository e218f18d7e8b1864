namespace NetGen;

/// <summary>
/// Declares an Elman recurrent layer over a sequence [steps, features], as PyTorch's <c>RNN</c> with
/// <c>batch_first</c>: from a zero state, h_t = activation(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh) at each step. Its
/// parameters are stored as PyTorch stores them: weight_ih [units, features], weight_hh [units, units], bias_ih [units],
/// bias_hh [units].
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SimpleRnnAttribute : Attribute
{
    /// <summary>Declares a recurrent layer of <paramref name="units"/> hidden units.</summary>
    /// <param name="units">The size of the hidden state; at least 1.</param>
    /// <param name="activation">The nonlinearity: <see cref="Activation.Tanh"/> or <see cref="Activation.ReLU"/>, as PyTorch's <c>nonlinearity</c>.</param>
    public SimpleRnnAttribute(int units, Activation activation)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>The size of the hidden state.</summary>
    public int Units { get; }

    /// <summary>The nonlinearity applied to the hidden state at each step.</summary>
    public Activation Activation { get; }

    /// <summary>
    /// Whether the layer writes its hidden state at every step, a sequence [steps, units], or only at the last step, a
    /// vector [units]. The default is false: the last step's.
    /// </summary>
    public bool ReturnSequences { get; set; }
}
