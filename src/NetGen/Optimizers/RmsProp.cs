using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// RMSprop, as <c>torch.optim.RMSprop</c>: g = gradient + lambda theta; v = alpha v + (1 - alpha) g^2;
/// theta = theta - eta g / (sqrt(v) + epsilon), or with momentum mu, b = mu b + g / (sqrt(v) + epsilon) and
/// theta = theta - eta b.
/// </summary>
public sealed class RmsProp : Optimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="alpha">The decay of the running average of squared gradients, in [0, 1).</param>
    /// <param name="epsilon">Keeps the division finite.</param>
    /// <param name="momentum">mu, in [0, 1).</param>
    /// <param name="weightDecay">lambda: adds lambda theta to the gradient.</param>
    public RmsProp(double alpha = 0.99, double epsilon = 1e-8, double momentum = 0, double weightDecay = 0)
    {
        if (alpha < 0 || alpha >= 1) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must be in [0, 1).");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be 0 or more.");
        if (momentum < 0 || momentum >= 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be 0 or more.");
        Alpha = alpha;
        Epsilon = epsilon;
        Momentum = momentum;
        WeightDecay = weightDecay;
    }

    /// <summary>alpha.</summary>
    public double Alpha { get; }

    /// <summary>epsilon.</summary>
    public double Epsilon { get; }

    /// <summary>mu.</summary>
    public double Momentum { get; }

    /// <summary>lambda.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override int StateVectorCount => Momentum == 0 ? 1 : 2;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate)
        => UpdateRange(parameters, gradient, learningRate, 0);

    internal override bool UpdatesRanges => true;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // see Optimizer.Step
    internal override void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate, int offset)
    {
        float rate = (float)learningRate;
        float alpha = (float)Alpha, rest = (float)(1.0 - Alpha), decay = (float)WeightDecay, epsilon = (float)Epsilon, mu = (float)Momentum;
        Span<float> average = StateVector(0).Slice(offset, parameters.Length);
        Span<float> buffer = Momentum == 0 ? default : StateVector(1).Slice(offset, parameters.Length);
        int i = 0;
        for (int end = VectorizedLength(parameters.Length); i < end; i += Vector<float>.Count)
        {
            Vector<float> theta = Load(parameters, i);
            Vector<float> g = Load(gradient, i) + decay * theta;
            Vector<float> v = alpha * Load(average, i) + rest * (g * g);
            Store(v, average, i);
            Vector<float> step = g / (Vector.SquareRoot(v) + new Vector<float>(epsilon));
            if (mu != 0f)
            {
                step = mu * Load(buffer, i) + step;
                Store(step, buffer, i);
            }
            Store(theta - rate * step, parameters, i);
        }
        for (; i < parameters.Length; i++)
        {
            float g = gradient[i] + decay * parameters[i];
            float v = alpha * average[i] + rest * (g * g);
            average[i] = v;
            float step = g / (MathF.Sqrt(v) + epsilon);
            if (mu != 0f)
            {
                step = mu * buffer[i] + step;
                buffer[i] = step;
            }
            parameters[i] -= rate * step;
        }
    }
}
