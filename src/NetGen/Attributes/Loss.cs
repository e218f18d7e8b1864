// This file is compiled into both the runtime and the generator (linked), so the two cannot drift.
namespace NetGen;

/// <summary>The loss a network is trained to minimize, for one sample with K outputs.</summary>
public enum Loss
{
    /// <summary>L = (1/K) sum_k (y-hat_k - y_k)^2, the mean over outputs as in PyTorch's <c>MSELoss</c>.</summary>
    MeanSquaredError = 0,

    /// <summary>
    /// L = -(1/K) sum_k [y_k ln y-hat_k + (1 - y_k) ln(1 - y-hat_k)] for sigmoid outputs, computed from the
    /// weighted sums z so that it stays finite when a sigmoid saturates (PyTorch's <c>BCEWithLogitsLoss</c>).
    /// The gradient with respect to z_k is (y-hat_k - y_k) / K.
    /// </summary>
    BinaryCrossEntropy = 1,

    /// <summary>
    /// L = -sum_k y_k ln y-hat_k for softmax outputs, computed with log-sum-exp (PyTorch's <c>CrossEntropyLoss</c>
    /// with probability targets). For targets that sum to 1 the gradient with respect to z is y-hat - y.
    /// </summary>
    CrossEntropy = 2,

    /// <summary>
    /// The network's own loss: a static method of the network class marked <see cref="LossFunctionAttribute"/>, with
    /// the signature <c>static float Name(ReadOnlySpan&lt;float&gt; prediction, ReadOnlySpan&lt;float&gt; target, Span&lt;float&gt; gradient)</c>:
    /// it returns the loss of one sample and writes dL/dprediction into <c>gradient</c>.
    /// </summary>
    Custom = 3,
}
