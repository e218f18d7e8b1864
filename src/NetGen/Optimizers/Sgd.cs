using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// Stochastic gradient descent, as <c>torch.optim.SGD</c>: g = gradient + lambda theta; with momentum mu,
/// b = mu b + (1 - dampening) g (b = g on the first step) and g = b, or g = g + mu b with Nesterov momentum;
/// then theta = theta - eta g.
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Creates the optimizer; with no arguments it is plain gradient descent, theta = theta - eta gradient.</summary>
    /// <param name="momentum">mu, in [0, 1). 0 is no momentum.</param>
    /// <param name="dampening">How much of the new gradient the momentum buffer does not take, in [0, 1].</param>
    /// <param name="nesterov">Nesterov momentum: step along g + mu b instead of b. Needs momentum and no dampening.</param>
    /// <param name="weightDecay">lambda: adds lambda theta to the gradient (an L2 penalty of lambda/2 theta^2).</param>
    public Sgd(double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
    {
        if (momentum < 0 || momentum >= 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        if (dampening < 0 || dampening > 1) throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "Dampening must be in [0, 1].");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be 0 or more.");
        if (nesterov && (momentum == 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum needs a momentum above 0 and no dampening (as in torch.optim.SGD).", nameof(nesterov));
        }
        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
    }

    /// <summary>mu.</summary>
    public double Momentum { get; }

    /// <summary>The dampening of the momentum buffer.</summary>
    public double Dampening { get; }

    /// <summary>Whether the momentum is Nesterov's.</summary>
    public bool Nesterov { get; }

    /// <summary>lambda.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override int StateVectorCount => Momentum == 0 ? 0 : 1;

    /// <summary>Plain gradient descent, theta = theta - eta gradient: no momentum, no weight decay.</summary>
    internal bool IsPlain => Momentum == 0 && WeightDecay == 0;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate)
        => UpdateRange(parameters, gradient, learningRate, 0);

    internal override bool UpdatesRanges => true;

    /// <summary>Plain gradient descent changes only the parameters whose gradient is not zero.</summary>
    internal override bool SkipsUntouchedRows => IsPlain;

    internal override void UpdateTouchedRows(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate, EmbeddingTable table, ReadOnlySpan<int> rows)
    {
        UpdateRange(parameters.Slice(0, table.Offset), gradient.Slice(0, table.Offset), learningRate, 0);
        UpdateRange(parameters.Slice(table.End), gradient.Slice(table.End), learningRate, table.End);
        foreach (int row in rows)
        {
            int start = table.Offset + row * table.Dimensions;
            UpdateRange(parameters.Slice(start, table.Dimensions), gradient.Slice(start, table.Dimensions), learningRate, start);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // see Optimizer.Step
    internal override void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate, int offset)
    {
        float rate = (float)learningRate;
        float decay = (float)WeightDecay, mu = (float)Momentum, keep = (float)(1.0 - Dampening);
        Span<float> buffer = Momentum == 0 ? default : StateVector(0).Slice(offset, parameters.Length);
        bool firstStep = StepCount == 1;
        int i = 0;
        if (Momentum == 0)
        {
            for (int end = VectorizedLength(parameters.Length); i < end; i += Vector<float>.Count)
            {
                Vector<float> theta = Load(parameters, i);
                Vector<float> g = Load(gradient, i) + decay * theta;
                Store(theta - rate * g, parameters, i);
            }
            for (; i < parameters.Length; i++)
            {
                float g = gradient[i] + decay * parameters[i];
                parameters[i] -= rate * g;
            }
            return;
        }
        for (int end = VectorizedLength(parameters.Length); i < end; i += Vector<float>.Count)
        {
            Vector<float> theta = Load(parameters, i);
            Vector<float> g = Load(gradient, i) + decay * theta;
            Vector<float> b = firstStep ? g : mu * Load(buffer, i) + keep * g;
            Store(b, buffer, i);
            Vector<float> direction = Nesterov ? g + mu * b : b;
            Store(theta - rate * direction, parameters, i);
        }
        for (; i < parameters.Length; i++)
        {
            float g = gradient[i] + decay * parameters[i];
            float b = firstStep ? g : mu * buffer[i] + keep * g;
            buffer[i] = b;
            parameters[i] -= rate * (Nesterov ? g + mu * b : b);
        }
    }
}
