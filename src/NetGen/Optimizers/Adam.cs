using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>
/// Adam, as <c>torch.optim.Adam</c>: g = gradient + lambda theta; m = beta1 m + (1 - beta1) g;
/// v = beta2 v + (1 - beta2) g^2; theta = theta - eta / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon).
/// For weight decay that is not scaled by the adaptive step, use <see cref="AdamW"/>.
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>Creates Adam with PyTorch's defaults.</summary>
    /// <param name="beta1">The decay of the first moment m, in [0, 1).</param>
    /// <param name="beta2">The decay of the second moment v, in [0, 1).</param>
    /// <param name="epsilon">Keeps the division finite.</param>
    /// <param name="weightDecay">lambda: adds lambda theta to the gradient (an L2 penalty).</param>
    public Adam(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    {
        CheckArguments(beta1, beta2, epsilon, weightDecay);
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>beta1.</summary>
    public double Beta1 { get; }

    /// <summary>beta2.</summary>
    public double Beta2 { get; }

    /// <summary>epsilon.</summary>
    public double Epsilon { get; }

    /// <summary>lambda.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override int StateVectorCount => 2;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate)
        => UpdateRange(parameters, gradient, learningRate, 0);

    internal override bool UpdatesRanges => true;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // see Optimizer.Step
    internal override void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate, int offset)
        => UpdateMoments(parameters, gradient, StateVector(0).Slice(offset, parameters.Length), StateVector(1).Slice(offset, parameters.Length),
            learningRate, StepCount, Beta1, Beta2, Epsilon, l2: (float)WeightDecay, shrink: 1f);

    internal static void CheckArguments(double beta1, double beta2, double epsilon, double weightDecay)
    {
        if (beta1 < 0 || beta1 >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        if (beta2 < 0 || beta2 >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be 0 or more.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be 0 or more.");
    }

    /// <summary>
    /// The update of Adam and AdamW: g = gradient + <paramref name="l2"/> theta, the moments, then
    /// theta = <paramref name="shrink"/> theta - the adaptive step.
    /// </summary>
    internal static void UpdateMoments(
        Span<float> parameters, ReadOnlySpan<float> gradient, Span<float> first, Span<float> second,
        double learningRate, long stepCount, double beta1Value, double beta2Value, double epsilonValue, float l2, float shrink)
    {
        double t = stepCount;
        float stepSize = (float)(learningRate / (1.0 - Math.Pow(beta1Value, t)));
        float secondCorrection = (float)Math.Sqrt(1.0 - Math.Pow(beta2Value, t));
        float beta1 = (float)beta1Value, beta2 = (float)beta2Value, rest1 = (float)(1.0 - beta1Value), rest2 = (float)(1.0 - beta2Value), epsilon = (float)epsilonValue;
        var scaledEpsilon = new Vector<float>(epsilon * secondCorrection);
        float correctedStep = stepSize * secondCorrection;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // The same operations as the loop below, element by element (so the same bits), 16 lanes at a time: the
            // square roots and divisions bound this loop, and a 512-bit one costs about as much as a 256-bit one.
            ref float thetas = ref MemoryMarshal.GetReference(parameters);
            ref float gradients = ref MemoryMarshal.GetReference(gradient);
            ref float firsts = ref MemoryMarshal.GetReference(first);
            ref float seconds = ref MemoryMarshal.GetReference(second);
            var epsilon512 = Vector512.Create(epsilon * secondCorrection);
            for (int end = parameters.Length - parameters.Length % Vector512<float>.Count; i < end; i += Vector512<float>.Count)
            {
                nuint at = (nuint)i;
                Vector512<float> theta = Vector512.LoadUnsafe(ref thetas, at);
                Vector512<float> g = Vector512.LoadUnsafe(ref gradients, at) + l2 * theta;
                Vector512<float> m = beta1 * Vector512.LoadUnsafe(ref firsts, at) + rest1 * g;
                Vector512<float> v = beta2 * Vector512.LoadUnsafe(ref seconds, at) + rest2 * (g * g);
                m.StoreUnsafe(ref firsts, at);
                v.StoreUnsafe(ref seconds, at);
                (theta * shrink - correctedStep * m / (Vector512.Sqrt(v) + epsilon512)).StoreUnsafe(ref thetas, at);
            }
        }
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
