// This file is compiled into both the runtime and the generator (linked), so the two cannot drift.
namespace NetGen;

/// <summary>The function a layer applies to each unit's weighted sum z.</summary>
public enum Activation
{
    /// <summary>a = z. The derivative is 1.</summary>
    Identity = 0,

    /// <summary>The unit step: a = 1 when z &gt;= 0, else 0. Its derivative is 0 wherever it exists, so only the perceptron rule can train it.</summary>
    Step = 1,

    /// <summary>The logistic function a = 1 / (1 + e^-z). The derivative is a (1 - a).</summary>
    Sigmoid = 2,

    /// <summary>The hyperbolic tangent a = tanh z. The derivative is 1 - a^2.</summary>
    Tanh = 3,

    /// <summary>The rectified linear unit a = max(z, 0). The derivative is 1 when z &gt; 0, else 0.</summary>
    ReLU = 4,

    /// <summary>a_k = e^z_k / sum_j e^z_j over the layer's units; output layer only.</summary>
    Softmax = 5,
}
