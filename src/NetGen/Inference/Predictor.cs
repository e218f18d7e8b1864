namespace NetGen;

/// <summary>
/// A network's parameters prepared once for prediction, the way an inference session prepares a model: the weights of
/// a dense layer too large for the L1 cache are reordered so that each block of 8 units' rows is read as one stream
/// (<see cref="INetwork{TSelf}.PackForPrediction"/>). <see cref="Predict"/> gives exactly the bits of the network's own
/// Predict; for a network without such a layer it is the same computation on a copy of the parameters.
/// </summary>
/// <remarks>
/// The predictor holds a copy: when the network's parameters change (training, loading, editing
/// <see cref="INetwork{TSelf}.Parameters"/>), call <see cref="Update(TNetwork)"/>. The layout depends on the machine's
/// vector width, so it lives only in memory. <see cref="Predict"/> may be called from many threads at once;
/// <see cref="Update(TNetwork)"/> must not run while it is.
/// </remarks>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
public sealed class Predictor<TNetwork> where TNetwork : class, INetwork<TNetwork>
{
    private readonly float[] _packed = new float[TNetwork.ParameterCount];

    /// <summary>Prepares <paramref name="network"/>'s present parameters.</summary>
    /// <param name="network">The network whose parameters are copied.</param>
    public Predictor(TNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Update(network.Parameters);
    }

    /// <summary>Prepares <paramref name="parameters"/>, laid out as the network's <see cref="INetwork{TSelf}.Parameters"/>.</summary>
    /// <param name="parameters">ParameterCount floats.</param>
    /// <exception cref="ArgumentException">The span's length is not ParameterCount.</exception>
    public Predictor(ReadOnlySpan<float> parameters) => Update(parameters);

    /// <summary>Whether this network has a layer whose weights the predictor reorders; when not, it predicts from a plain copy.</summary>
    public static bool ReordersWeights => TNetwork.PacksForPrediction;

    /// <summary>Prepares <paramref name="network"/>'s parameters again, after they changed.</summary>
    /// <param name="network">The network whose parameters are copied.</param>
    public void Update(TNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Update(network.Parameters);
    }

    /// <summary>Prepares <paramref name="parameters"/> in place of the ones held. A span of the wrong length changes nothing.</summary>
    /// <param name="parameters">ParameterCount floats, laid out as the network's <see cref="INetwork{TSelf}.Parameters"/>.</param>
    /// <exception cref="ArgumentException">The span's length is not ParameterCount.</exception>
    public void Update(ReadOnlySpan<float> parameters) => TNetwork.PackForPrediction(parameters, _packed);

    /// <summary>Computes the network's output for one input from the prepared parameters. Allocates nothing.</summary>
    /// <param name="input">The InputSize features.</param>
    /// <param name="output">Receives the OutputSize outputs.</param>
    /// <exception cref="ArgumentException">A span's length is not InputSize or OutputSize.</exception>
    public void Predict(ReadOnlySpan<float> input, Span<float> output) => TNetwork.PredictPacked(_packed, input, output);

    /// <summary>
    /// The class predicted for one input, as <c>network.PredictClass</c> reads the outputs (<see cref="ClassLabels.Of"/>):
    /// the index of the largest output, or for a single output, 1 at 0.5 or more and 0 below. Allocates nothing for
    /// networks of up to 1,024 outputs.
    /// </summary>
    /// <param name="input">The InputSize features.</param>
    /// <exception cref="ArgumentException">The input's length is not InputSize.</exception>
    public int PredictClass(ReadOnlySpan<float> input)
    {
        Span<float> output = TNetwork.OutputSize <= PredictionExtensions.StackOutputLimit ? stackalloc float[TNetwork.OutputSize] : new float[TNetwork.OutputSize];
        Predict(input, output);
        return ClassLabels.Of(output);
    }
}
