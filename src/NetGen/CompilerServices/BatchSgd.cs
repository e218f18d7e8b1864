using System.ComponentModel;

namespace NetGen.CompilerServices;

/// <summary>For generated code: the end of <see cref="INetwork{TSelf}.SgdBatchStep"/> where the gradient sum sits in memory.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BatchSgd
{
    /// <summary>
    /// Turns <paramref name="gradientSum"/>, the sum of <paramref name="count"/> samples' gradients, into their mean
    /// (times 1/count, as the trainer scales it) and, when it and <paramref name="lossSum"/> are finite, applies
    /// theta -= <paramref name="learningRate"/> * (g + 0 theta), <c>Sgd</c>'s plain step, lane for lane.
    /// </summary>
    /// <param name="parameters">The parameters, changed in place.</param>
    /// <param name="gradientSum">The gradients' sum; left holding their mean.</param>
    /// <param name="count">The number of samples summed.</param>
    /// <param name="lossSum">The sum of their losses.</param>
    /// <param name="learningRate">The step size.</param>
    /// <returns><paramref name="lossSum"/>, or NaN when it is finite but the gradient is not (the parameters then unchanged).</returns>
    public static float Step(Span<float> parameters, Span<float> gradientSum, int count, float lossSum, float learningRate)
    {
        ArgumentLength.Check(gradientSum.Length, parameters.Length, nameof(gradientSum));
        if (!float.IsFinite(lossSum))
        {
            return lossSum;
        }
        float scale = 1f / count;
        for (int i = 0; i < gradientSum.Length; i++)
        {
            gradientSum[i] *= scale;
            if (!float.IsFinite(gradientSum[i]))
            {
                return float.NaN;
            }
        }
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] -= learningRate * (gradientSum[i] + 0f * parameters[i]);
        }
        return lossSum;
    }
}
