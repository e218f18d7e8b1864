using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// AdamW, as <c>torch.optim.AdamW</c>: Adam with decoupled weight decay. Each step first shrinks the parameters,
/// theta = (1 - eta lambda) theta, then takes <see cref="Adam"/>'s step on the plain gradient, so the decay is not
/// scaled down by the adaptive step as an L2 term in the gradient would be.
/// </summary>
public sealed class AdamW : Optimizer
{
    /// <summary>Creates AdamW with PyTorch's defaults (whose weight decay, unlike Adam's, is 0.01).</summary>
    /// <param name="weightDecay">lambda: each step multiplies the parameters by 1 - eta lambda.</param>
    /// <param name="beta1">The decay of the first moment m, in [0, 1).</param>
    /// <param name="beta2">The decay of the second moment v, in [0, 1).</param>
    /// <param name="epsilon">Keeps the division finite.</param>
    public AdamW(double weightDecay = 0.01, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        Adam.CheckArguments(beta1, beta2, epsilon, weightDecay);
        WeightDecay = weightDecay;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>lambda.</summary>
    public double WeightDecay { get; }

    /// <summary>beta1.</summary>
    public double Beta1 { get; }

    /// <summary>beta2.</summary>
    public double Beta2 { get; }

    /// <summary>epsilon.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override int StateVectorCount => 2;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate)
        => UpdateRange(parameters, gradient, learningRate, 0);

    internal override bool UpdatesRanges => true;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // see Optimizer.Step
    internal override void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate, int offset)
        => Adam.UpdateMoments(parameters, gradient, StateVector(0).Slice(offset, parameters.Length), StateVector(1).Slice(offset, parameters.Length),
            learningRate, StepCount, Beta1, Beta2, Epsilon, l2: 0f, shrink: (float)(1.0 - learningRate * WeightDecay));
}
