namespace NetGen;

/// <summary>
/// Declares a long short-term memory layer over a sequence [steps, features], as PyTorch's <c>LSTM</c> with
/// <c>batch_first</c>: from a zero state, at each step the gates i = sigmoid, f = sigmoid, g = tanh, o = sigmoid of
/// W_ih x_t + b_ih + W_hh h_(t-1) + b_hh (in that order), c_t = f c_(t-1) + i g and h_t = o tanh(c_t). Its parameters
/// are stored as PyTorch stores them: weight_ih [4 units, features], weight_hh [4 units, units], bias_ih [4 units],
/// bias_hh [4 units].
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LstmAttribute : Attribute
{
    /// <summary>Declares a layer of <paramref name="units"/> hidden units.</summary>
    /// <param name="units">The size of the hidden state; at least 1.</param>
    public LstmAttribute(int units)
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
