namespace NetGen;

/// <summary>
/// An L1 or L2 penalty with the course's scaling: cost J = (1/m) sum_i L_i + lambda/(2m) sum |theta| (L1) or
/// + lambda/(2m) sum theta^2 (L2), where m is the number of training samples. Biases are left out unless
/// <see cref="IncludeBiases"/> is set. The trainer adds the penalty's gradient, lambda/(2m) sign(theta) or
/// (lambda/m) theta, to every batch's mean gradient.
/// </summary>
public sealed class Regularization
{
    private Regularization(PenaltyKind kind, double lambda, bool includeBiases)
    {
        if (!(lambda >= 0) || double.IsInfinity(lambda))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "Lambda must be a finite number, 0 or more.");
        }
        Kind = kind;
        Lambda = lambda;
        IncludeBiases = includeBiases;
    }

    /// <summary>An L1 penalty lambda/(2m) sum |theta|.</summary>
    public static Regularization L1(double lambda, bool includeBiases = false) => new(PenaltyKind.L1, lambda, includeBiases);

    /// <summary>An L2 penalty lambda/(2m) sum theta^2.</summary>
    public static Regularization L2(double lambda, bool includeBiases = false) => new(PenaltyKind.L2, lambda, includeBiases);

    /// <summary>L1 or L2.</summary>
    public PenaltyKind Kind { get; }

    /// <summary>lambda.</summary>
    public double Lambda { get; }

    /// <summary>Whether the biases are penalized too (by default only weights are).</summary>
    public bool IncludeBiases { get; }

    /// <summary>The penalty's value for <paramref name="parameters"/> and <paramref name="sampleCount"/> training samples.</summary>
    /// <remarks>
    /// Every block of weights is penalized (dense and convolution weights, recurrent weights, embeddings), and the biases
    /// when <see cref="IncludeBiases"/> is set: the blocks are chosen by their <see cref="ParameterRole"/>.
    /// </remarks>
    public float Penalty(ReadOnlySpan<float> parameters, IReadOnlyList<LayerInfo> layers, int sampleCount)
    {
        double sum = 0;
        for (int l = 0; l < layers.Count; l++) // an index, not foreach: IReadOnlyList's enumerator would allocate
        {
            IReadOnlyList<ParameterBlock> blocks = layers[l].Parameters;
            for (int b = 0; b < blocks.Count; b++)
            {
                ParameterBlock block = blocks[b];
                if (Penalizes(block.Role))
                {
                    sum += Sum(parameters.Slice(block.Offset, block.Count));
                }
            }
        }
        return (float)(Lambda / (2.0 * sampleCount) * sum);
    }

    /// <summary>Whether blocks of this role are penalized: every kind of weight, and biases when asked.</summary>
    public bool Penalizes(ParameterRole role) => role != ParameterRole.Bias || IncludeBiases;

    private double Sum(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += Kind == PenaltyKind.L1 ? Math.Abs(v) : (double)v * v;
        }
        return sum;
    }

    /// <summary>Adds the penalty's gradient with respect to <paramref name="parameters"/> into <paramref name="gradient"/>.</summary>
    public void AddGradient(ReadOnlySpan<float> parameters, Span<float> gradient, IReadOnlyList<LayerInfo> layers, int sampleCount)
    {
        for (int l = 0; l < layers.Count; l++)
        {
            IReadOnlyList<ParameterBlock> blocks = layers[l].Parameters;
            for (int b = 0; b < blocks.Count; b++)
            {
                ParameterBlock block = blocks[b];
                if (Penalizes(block.Role))
                {
                    AddGradient(parameters.Slice(block.Offset, block.Count), gradient.Slice(block.Offset, block.Count), sampleCount);
                }
            }
        }
    }

    private void AddGradient(ReadOnlySpan<float> parameters, Span<float> gradient, int sampleCount)
    {
        if (Kind == PenaltyKind.L1)
        {
            float scale = (float)(Lambda / (2.0 * sampleCount));
            for (int i = 0; i < parameters.Length; i++)
            {
                gradient[i] += scale * MathF.Sign(parameters[i]);
            }
        }
        else
        {
            float scale = (float)(Lambda / (double)sampleCount);
            for (int i = 0; i < parameters.Length; i++)
            {
                gradient[i] += scale * parameters[i];
            }
        }
    }
}
