using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Turns the mean gradient of a batch into a change of the parameters. One instance serves one parameter vector: it
/// keeps its state (momentum, running averages) sized to the network, allocated on the first step, so later steps
/// allocate nothing. Each optimizer follows the definition of its <c>torch.optim</c> namesake, so that results can be
/// compared with PyTorch step for step; each updates the whole vector in one fused SIMD pass.
/// </summary>
public abstract class Optimizer
{
    private float[][] _state = [];

    /// <summary>How many steps have been taken (t in the formulas; Adam's bias correction uses it).</summary>
    public long StepCount { get; private set; }

    /// <summary>How many state vectors, each as long as the parameters, the optimizer keeps.</summary>
    protected abstract int StateVectorCount { get; }

    /// <summary>The state vectors (for example Adam's m and v), empty before the first step. For checkpoints.</summary>
    public IReadOnlyList<float[]> State => _state;

    /// <summary>Updates <paramref name="parameters"/> in place from the mean <paramref name="gradient"/> of a batch.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="gradient">dL/dtheta averaged over the batch, laid out like <paramref name="parameters"/>.</param>
    /// <param name="learningRate">The step size eta for this step.</param>
    /// <exception cref="ArgumentException">The lengths differ, or differ from those of earlier steps.</exception>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate)
    {
        BeginStep(parameters, gradient);
        // The optimizers' Update methods are not inlined: once Step is inlined into a caller that knows the optimizer's
        // type, an inlined Update could exhaust the JIT's inlining budget and leave its vector loads and stores as calls
        // (measured: Adam on 100k parameters 4x slower).
        Update(parameters, gradient, learningRate);
    }

    /// <summary>
    /// Checks the lengths, allocates the state on the first step and counts the step: everything of
    /// <see cref="Step"/> but the update, which the trainer may then apply range by range on several threads.
    /// </summary>
    internal void BeginStep(ReadOnlySpan<float> parameters, ReadOnlySpan<float> gradient)
    {
        if (gradient.Length != parameters.Length)
        {
            throw new ArgumentException($"The gradient has length {gradient.Length}; expected {parameters.Length}, one value per parameter.", nameof(gradient));
        }
        if (_state.Length != StateVectorCount)
        {
            _state = new float[StateVectorCount][];
            for (int i = 0; i < _state.Length; i++)
            {
                _state[i] = new float[parameters.Length];
            }
        }
        else if (_state.Length > 0 && _state[0].Length != parameters.Length)
        {
            throw new ArgumentException(
                $"This optimizer holds state for {_state[0].Length} parameters; it was given {parameters.Length}. Use one optimizer per network.", nameof(parameters));
        }
        StepCount++;
    }

    /// <summary>
    /// Whether <see cref="UpdateRange"/> works: each parameter's update reads only its own gradient and state, so
    /// disjoint ranges can be updated at once, with the same result as one pass. True for the optimizers here.
    /// </summary>
    internal virtual bool UpdatesRanges => false;

    /// <summary>
    /// The update of <see cref="Update"/> for the parameters from <paramref name="offset"/> on: <paramref name="parameters"/>
    /// and <paramref name="gradient"/> are slices of the whole vectors starting there. Called after <see cref="BeginStep"/>.
    /// </summary>
    internal virtual void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate, int offset)
        => throw new NotSupportedException($"{GetType().Name} updates the whole parameter vector at once.");

    /// <summary>Counts a step that was applied elsewhere (the trainer's fused per-sample step for plain <see cref="Sgd"/>).</summary>
    internal void CountFusedStep() => StepCount++;

    /// <summary>Applies one step; the state vectors exist and every length matches.</summary>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate);

    /// <summary>State vector <paramref name="index"/>, as a span.</summary>
    protected Span<float> StateVector(int index) => _state[index];

    /// <summary>Forgets every step taken: the state returns to zeros, allocated again on the next step.</summary>
    public void Reset()
    {
        _state = [];
        StepCount = 0;
    }

    /// <summary>Puts back a state saved from <see cref="State"/> and <see cref="StepCount"/>, to resume training.</summary>
    /// <exception cref="ArgumentException">The vectors are not the number this optimizer keeps, or differ in length.</exception>
    public void RestoreState(long stepCount, IReadOnlyList<float[]> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        if (state.Count != StateVectorCount)
        {
            throw new ArgumentException($"{GetType().Name} keeps {StateVectorCount} state vectors; got {state.Count}.", nameof(state));
        }
        if (state.Any(s => s.Length != state[0].Length))
        {
            throw new ArgumentException("The state vectors differ in length.", nameof(state));
        }
        _state = state.Select(s => s.ToArray()).ToArray();
        StepCount = stepCount;
    }

    /// <summary>How many vectors of <see cref="Vector{T}"/> fit; the rest is done one float at a time.</summary>
    private protected static int VectorizedLength(int length) => length - length % Vector<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected static Vector<float> Load(ReadOnlySpan<float> span, int index)
        => Vector.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected static void Store(Vector<float> value, Span<float> span, int index)
        => value.StoreUnsafe(ref MemoryMarshal.GetReference(span), (nuint)index);
}

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
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate)
        => UpdateRange(parameters, gradient, learningRate, 0);

    internal override bool UpdatesRanges => true;

    [MethodImpl(MethodImplOptions.NoInlining)] // see Optimizer.Step
    internal override void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate, int offset)
    {
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
                Store(theta - learningRate * g, parameters, i);
            }
            for (; i < parameters.Length; i++)
            {
                float g = gradient[i] + decay * parameters[i];
                parameters[i] -= learningRate * g;
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
            Store(theta - learningRate * direction, parameters, i);
        }
        for (; i < parameters.Length; i++)
        {
            float g = gradient[i] + decay * parameters[i];
            float b = firstStep ? g : mu * buffer[i] + keep * g;
            buffer[i] = b;
            parameters[i] -= learningRate * (Nesterov ? g + mu * b : b);
        }
    }
}

/// <summary>
/// Adagrad, as <c>torch.optim.Adagrad</c>: g = gradient + lambda theta; s = s + g^2;
/// theta = theta - eta / (1 + (t - 1) decay) * g / (sqrt(s) + epsilon).
/// </summary>
public sealed class Adagrad : Optimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRateDecay">Divides the learning rate by 1 + (t - 1) times this.</param>
    /// <param name="weightDecay">lambda: adds lambda theta to the gradient.</param>
    /// <param name="epsilon">Keeps the division finite.</param>
    public Adagrad(double learningRateDecay = 0, double weightDecay = 0, double epsilon = 1e-10)
    {
        if (learningRateDecay < 0) throw new ArgumentOutOfRangeException(nameof(learningRateDecay), learningRateDecay, "The learning rate decay must be 0 or more.");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be 0 or more.");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be 0 or more.");
        LearningRateDecay = learningRateDecay;
        WeightDecay = weightDecay;
        Epsilon = epsilon;
    }

    /// <summary>The learning rate decay.</summary>
    public double LearningRateDecay { get; }

    /// <summary>lambda.</summary>
    public double WeightDecay { get; }

    /// <summary>epsilon.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override int StateVectorCount => 1;

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate)
        => UpdateRange(parameters, gradient, learningRate, 0);

    internal override bool UpdatesRanges => true;

    [MethodImpl(MethodImplOptions.NoInlining)] // see Optimizer.Step
    internal override void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate, int offset)
    {
        float rate = (float)(learningRate / (1.0 + (StepCount - 1) * LearningRateDecay));
        float decay = (float)WeightDecay, epsilon = (float)Epsilon;
        Span<float> sum = StateVector(0).Slice(offset, parameters.Length);
        int i = 0;
        for (int end = VectorizedLength(parameters.Length); i < end; i += Vector<float>.Count)
        {
            Vector<float> theta = Load(parameters, i);
            Vector<float> g = Load(gradient, i) + decay * theta;
            Vector<float> s = Load(sum, i) + g * g;
            Store(s, sum, i);
            Store(theta - rate * g / (Vector.SquareRoot(s) + new Vector<float>(epsilon)), parameters, i);
        }
        for (; i < parameters.Length; i++)
        {
            float g = gradient[i] + decay * parameters[i];
            float s = sum[i] + g * g;
            sum[i] = s;
            parameters[i] -= rate * g / (MathF.Sqrt(s) + epsilon);
        }
    }
}

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
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate)
        => UpdateRange(parameters, gradient, learningRate, 0);

    internal override bool UpdatesRanges => true;

    [MethodImpl(MethodImplOptions.NoInlining)] // see Optimizer.Step
    internal override void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate, int offset)
    {
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
            Store(theta - learningRate * step, parameters, i);
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
            parameters[i] -= learningRate * step;
        }
    }
}

/// <summary>
/// Adam, as <c>torch.optim.Adam</c> (and, with <c>decoupledWeightDecay</c>, <c>torch.optim.AdamW</c>):
/// m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2;
/// theta = theta - eta / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon).
/// Adam's weight decay adds lambda theta to g; AdamW's multiplies theta by 1 - eta lambda before the step.
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>Creates Adam with PyTorch's defaults.</summary>
    /// <param name="beta1">The decay of the first moment m, in [0, 1).</param>
    /// <param name="beta2">The decay of the second moment v, in [0, 1).</param>
    /// <param name="epsilon">Keeps the division finite.</param>
    /// <param name="weightDecay">lambda.</param>
    /// <param name="decoupledWeightDecay">True for AdamW's decoupled weight decay; false for Adam's L2 term.</param>
    public Adam(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0, bool decoupledWeightDecay = false)
    {
        if (beta1 < 0 || beta1 >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        if (beta2 < 0 || beta2 >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be 0 or more.");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be 0 or more.");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        DecoupledWeightDecay = decoupledWeightDecay;
    }

    /// <summary>AdamW: Adam with decoupled weight decay (PyTorch's default lambda for AdamW is 0.01).</summary>
    public static Adam W(double weightDecay = 0.01, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        => new(beta1, beta2, epsilon, weightDecay, decoupledWeightDecay: true);

    /// <summary>beta1.</summary>
    public double Beta1 { get; }

    /// <summary>beta2.</summary>
    public double Beta2 { get; }

    /// <summary>epsilon.</summary>
    public double Epsilon { get; }

    /// <summary>lambda.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the weight decay is AdamW's.</summary>
    public bool DecoupledWeightDecay { get; }

    /// <inheritdoc/>
    protected override int StateVectorCount => 2;

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate)
        => UpdateRange(parameters, gradient, learningRate, 0);

    internal override bool UpdatesRanges => true;

    [MethodImpl(MethodImplOptions.NoInlining)] // see Optimizer.Step
    internal override void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradient, float learningRate, int offset)
    {
        double t = StepCount;
        float stepSize = (float)(learningRate / (1.0 - Math.Pow(Beta1, t)));
        float secondCorrection = (float)Math.Sqrt(1.0 - Math.Pow(Beta2, t));
        float beta1 = (float)Beta1, beta2 = (float)Beta2, rest1 = (float)(1.0 - Beta1), rest2 = (float)(1.0 - Beta2), epsilon = (float)Epsilon;
        float l2 = DecoupledWeightDecay ? 0f : (float)WeightDecay;
        float shrink = DecoupledWeightDecay ? (float)(1.0 - learningRate * WeightDecay) : 1f;
        Span<float> first = StateVector(0).Slice(offset, parameters.Length), second = StateVector(1).Slice(offset, parameters.Length);
        var scaledEpsilon = new Vector<float>(epsilon * secondCorrection);
        float correctedStep = stepSize * secondCorrection;
        int i = 0;
        for (int end = VectorizedLength(parameters.Length); i < end; i += Vector<float>.Count)
        {
            Vector<float> theta = Load(parameters, i);
            Vector<float> g = Load(gradient, i) + l2 * theta;
            Vector<float> m = beta1 * Load(first, i) + rest1 * g;
            Vector<float> v = beta2 * Load(second, i) + rest2 * (g * g);
            Store(m, first, i);
            Store(v, second, i);
            // stepSize m / (sqrt(v) / c + epsilon) as stepSize c m / (sqrt(v) + epsilon c): one division instead of two,
            // which matters because the square root and the divisions share one unit and bound this loop.
            Vector<float> denominator = Vector.SquareRoot(v) + scaledEpsilon;
            Store(theta * shrink - correctedStep * m / denominator, parameters, i);
        }
        for (; i < parameters.Length; i++)
        {
            float theta = parameters[i];
            float g = gradient[i] + l2 * theta;
            float m = beta1 * first[i] + rest1 * g;
            float v = beta2 * second[i] + rest2 * (g * g);
            first[i] = m;
            second[i] = v;
            parameters[i] = theta * shrink - stepSize * secondCorrection * m / (MathF.Sqrt(v) + epsilon * secondCorrection);
        }
    }
}
