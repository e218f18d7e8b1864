using System.Numerics;

namespace NetGen;

/// <summary>Turns a gradient into a change of the parameters. One instance serves one parameter vector.</summary>
public abstract class Optimizer
{
    /// <summary>Updates <paramref name="parameters"/> in place from the mean <paramref name="gradient"/> of a batch.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="gradient">dL/dtheta, averaged over the batch, laid out like <paramref name="parameters"/>.</param>
    /// <param name="learningRate">The step size.</param>
    public abstract void Step(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate);
}

/// <summary>Plain (stochastic) gradient descent: theta := theta - eta * gradient, as <c>torch.optim.SGD</c> with no momentum.</summary>
public sealed class Sgd : Optimizer
{
    /// <inheritdoc/>
    public override void Step(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate)
    {
        if (gradient.Length != parameters.Length)
        {
            throw new ArgumentException($"The gradient has {gradient.Length} values; expected {parameters.Length}, one per parameter.", nameof(gradient));
        }
        var step = new Vector<float>(learningRate);
        int i = 0;
        for (; i <= parameters.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var p = new Vector<float>(parameters[i..]);
            var g = new Vector<float>(gradient[i..]);
            (p - step * g).CopyTo(parameters[i..]);
        }
        for (; i < parameters.Length; i++)
        {
            parameters[i] -= learningRate * gradient[i];
        }
    }
}
