using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// Adam that updates only the rows of an embedding table that a batch touched, as <c>torch.optim.SparseAdam</c> does
/// for <c>nn.Embedding(sparse=True)</c>, and every other parameter as <see cref="Adam"/> does: the combination a
/// PyTorch user writes with SparseAdam on the embedding and Adam on the rest. A step costs time proportional to the
/// tokens of the batch in the table, not to the vocabulary.
/// </summary>
/// <remarks>
/// <para>
/// In a touched row, with t the step count: m = m + (1 - beta1) (g - m); v = v + (1 - beta2) (g^2 - v);
/// theta = theta - eta sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon). A row that the batch did not touch
/// keeps its parameters, m and v: its moments do not decay, which is where the lazy variant departs from dense Adam.
/// The padding row is never touched.
/// </para>
/// <para>
/// The rows are known to the <see cref="Trainer{TNetwork}"/>. With a <see cref="TrainingOptions.Regularization"/>,
/// which penalizes every row, the gradient is dense and every parameter is stepped as by <see cref="Adam"/>; so is it
/// when <see cref="Optimizer.Step"/> is called directly, which has no rows to be lazy about.
/// </para>
/// </remarks>
public sealed class LazyAdam : Optimizer
{
    /// <summary>Creates the optimizer with PyTorch's defaults. There is no weight decay, as SparseAdam has none.</summary>
    /// <param name="beta1">The decay of the first moment m, in [0, 1).</param>
    /// <param name="beta2">The decay of the second moment v, in [0, 1).</param>
    /// <param name="epsilon">Keeps the division finite.</param>
    public LazyAdam(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        Adam.CheckArguments(beta1, beta2, epsilon, weightDecay: 0);
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

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

    internal override bool SkipsUntouchedRows => true;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // see Optimizer.Step
    internal override void UpdateRange(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate, int offset)
        => Adam.UpdateMoments(parameters, gradient, StateVector(0).Slice(offset, parameters.Length), StateVector(1).Slice(offset, parameters.Length),
            learningRate, StepCount, Beta1, Beta2, Epsilon, l2: 0f, shrink: 1f);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal override void UpdateTouchedRows(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate, EmbeddingTable table, ReadOnlySpan<int> rows)
    {
        UpdateRange(parameters.Slice(0, table.Offset), gradient.Slice(0, table.Offset), learningRate, 0);
        UpdateRange(parameters.Slice(table.End), gradient.Slice(table.End), learningRate, table.End);

        double t = StepCount;
        float stepSize = (float)(learningRate * Math.Sqrt(1.0 - Math.Pow(Beta2, t)) / (1.0 - Math.Pow(Beta1, t)));
        float rest1 = (float)(1.0 - Beta1), rest2 = (float)(1.0 - Beta2), epsilon = (float)Epsilon;
        Span<float> first = StateVector(0), second = StateVector(1);
        int dimensions = table.Dimensions;
        foreach (int row in rows)
        {
            int start = table.Offset + row * dimensions;
            for (int i = start; i < start + dimensions; i++)
            {
                // SparseAdam's order of operations: the moments move by (1 - beta) of their distance to g and g^2.
                float g = gradient[i];
                float m = first[i] + rest1 * (g - first[i]);
                float v = second[i] + rest2 * (g * g - second[i]);
                first[i] = m;
                second[i] = v;
                parameters[i] -= stepSize * (m / (MathF.Sqrt(v) + epsilon));
            }
        }
    }
}
