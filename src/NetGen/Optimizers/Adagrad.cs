using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen;

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate)
        => UpdateRange(parameters, gradient, learningRate, 0);

    internal override bool UpdatesRanges => true;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // see Optimizer.Step
    internal override void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate, int offset)
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
