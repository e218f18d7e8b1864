using System.ComponentModel;

namespace NetGen.CompilerServices;

/// <summary>For generated code: the initial weights the generated <c>InitializeParameters</c> draws.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ParameterInitializer
{
    /// <summary>
    /// Fills a block of weights for the activation of its layer, with the fans of the block (see <see cref="ParameterBlock.FanIn"/>): He uniform, U(-sqrt(6/fanIn), +sqrt(6/fanIn)), for
    /// <see cref="Activation.ReLU"/>, which zeroes half its inputs; Glorot uniform,
    /// U(-sqrt(6/(fanIn+fanOut)), +sqrt(6/(fanIn+fanOut))), for every other activation. Biases start at zero and
    /// are not touched here.
    /// </summary>
    /// <param name="weights">The layer's weights.</param>
    /// <param name="fanIn">The layer's number of inputs.</param>
    /// <param name="fanOut">The layer's number of units.</param>
    /// <param name="activation">The layer's activation.</param>
    /// <param name="random">The generator to draw from.</param>
    public static void InitializeWeights(Span<float> weights, int fanIn, int fanOut, Activation activation, ref DeterministicRandom random)
    {
        float limit = activation == Activation.ReLU
            ? MathF.Sqrt(6f / fanIn)
            : MathF.Sqrt(6f / (fanIn + fanOut));
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = random.NextSingle(-limit, limit);
        }
    }
}
