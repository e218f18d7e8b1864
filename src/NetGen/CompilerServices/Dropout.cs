using System.ComponentModel;

namespace NetGen.CompilerServices;

/// <summary>For generated code: inverted dropout, as the generated training code applies it to a layer declared with <c>Dropout = p</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Dropout
{
    /// <summary>
    /// Fills <paramref name="mask"/> for one sample: each entry is 0 with probability <paramref name="rate"/> (a dropped
    /// unit) and 1 / (1 - rate) otherwise (a kept unit, scaled so that the layer's expected output is unchanged).
    /// </summary>
    /// <param name="mask">One entry per unit of the layer.</param>
    /// <param name="rate">The probability p of dropping a unit, in [0, 1).</param>
    /// <param name="random">The trainer's seeded generator.</param>
    public static void DrawMask(Span<float> mask, float rate, ref DeterministicRandom random)
    {
        if (!(rate >= 0f && rate < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        }
        float keptScale = 1f / (1f - rate);
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = random.NextSingle() >= rate ? keptScale : 0f;
        }
    }
}
