namespace NetGen;

/// <summary>Class predictions and predictions over a whole <see cref="DataSet"/>, for any generated network.</summary>
public static class PredictionExtensions
{
    /// <summary>Outputs this long or shorter are computed on the stack by <c>PredictClass</c>.</summary>
    internal const int StackOutputLimit = 1024;

    /// <summary>Predictions of a network known by its interface.</summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network, whose own <see cref="INetwork{TSelf}.Parameters"/> are used.</param>
    extension<TNetwork>(TNetwork network) where TNetwork : class, INetwork<TNetwork>
    {
        /// <summary>
        /// The class the network predicts for one input: the index of the largest output, or for a network with a
        /// single (sigmoid) output, 1 when it is 0.5 or more and 0 below.
        /// </summary>
        /// <param name="input">The <see cref="INetwork{TSelf}.InputSize"/> features.</param>
        /// <exception cref="ArgumentException"><paramref name="input"/> is not <see cref="INetwork{TSelf}.InputSize"/> long.</exception>
        public int PredictClass(ReadOnlySpan<float> input)
        {
            ArgumentNullException.ThrowIfNull(network);
            CheckInput(input.Length, TNetwork.InputSize);
            Span<float> output = TNetwork.OutputSize <= StackOutputLimit ? stackalloc float[TNetwork.OutputSize] : new float[TNetwork.OutputSize];
            TNetwork.Predict(network.Parameters, input, output);
            return ClassLabels.Of(output);
        }

        /// <summary>
        /// Computes the outputs for every sample of <paramref name="data"/> into <paramref name="outputs"/>, one row of
        /// <see cref="INetwork{TSelf}.OutputSize"/> values per sample, in the data set's order. For 32 samples or more, a
        /// network that packs for prediction (<see cref="Predictor{TNetwork}"/>) reads its weights in the prediction layout,
        /// prepared once in a buffer from the shared array pool: the same outputs, bit for bit. Allocates nothing in steady state.
        /// </summary>
        /// <param name="data">The samples; only their features are read.</param>
        /// <param name="outputs">At least <c>data.Count * OutputSize</c> values; the rest are left as they are.</param>
        /// <exception cref="ArgumentException">The features are not the network's input size, or the buffer is too short.</exception>
        public void Predict(DataSet data, Span<float> outputs)
        {
            ArgumentNullException.ThrowIfNull(network);
            CheckFeatures(data, TNetwork.InputSize);
            int outputSize = TNetwork.OutputSize;
            if (outputs.Length < data.Count * outputSize)
            {
                throw new ArgumentException(
                    $"The outputs buffer holds {outputs.Length} values; {data.Count} samples of {outputSize} outputs need {data.Count * outputSize}.", nameof(outputs));
            }
            using var prepared = PreparedParameters<TNetwork>.For(network, data.Count);
            for (int i = 0; i < data.Count; i++)
            {
                prepared.Predict(data.GetFeatures(i), outputs.Slice(i * outputSize, outputSize));
            }
        }

        /// <summary>The class the network predicts (see <c>PredictClass</c>) for every sample of <paramref name="data"/>, in order.</summary>
        /// <param name="data">The samples; only their features are read.</param>
        /// <param name="classes">At least <c>data.Count</c> values; the rest are left as they are.</param>
        /// <exception cref="ArgumentException">The features are not the network's input size, or the buffer is too short.</exception>
        public void PredictClasses(DataSet data, Span<int> classes)
        {
            ArgumentNullException.ThrowIfNull(network);
            CheckFeatures(data, TNetwork.InputSize);
            if (classes.Length < data.Count)
            {
                throw new ArgumentException($"The classes buffer holds {classes.Length} values; the data set has {data.Count} samples.", nameof(classes));
            }
            Span<float> output = TNetwork.OutputSize <= StackOutputLimit ? stackalloc float[TNetwork.OutputSize] : new float[TNetwork.OutputSize];
            using var prepared = PreparedParameters<TNetwork>.For(network, data.Count);
            for (int i = 0; i < data.Count; i++)
            {
                prepared.Predict(data.GetFeatures(i), output);
                classes[i] = ClassLabels.Of(output);
            }
        }
    }

    /// <summary>
    /// The parameters a prediction over a data set reads: for a network that packs (<see cref="INetwork{TSelf}.PacksForPrediction"/>)
    /// and enough samples to repay the copy, the prediction layout in a pooled buffer, else the network's own. The
    /// outputs are the same bits either way.
    /// </summary>
    private readonly ref struct PreparedParameters<TNetwork> where TNetwork : class, INetwork<TNetwork>
    {
        private readonly float[]? _pooled;

        private readonly ReadOnlySpan<float> _values;

        private PreparedParameters(float[]? pooled, ReadOnlySpan<float> values)
        {
            _pooled = pooled;
            _values = values;
        }

        public static PreparedParameters<TNetwork> For(TNetwork network, int samples)
        {
            if (!TNetwork.PacksForPrediction || samples < PackingMinimumSamples)
            {
                return new PreparedParameters<TNetwork>(null, network.Parameters);
            }
            float[] pooled = System.Buffers.ArrayPool<float>.Shared.Rent(TNetwork.ParameterCount);
            Span<float> packed = pooled.AsSpan(0, TNetwork.ParameterCount);
            TNetwork.PackForPrediction(network.Parameters, packed);
            return new PreparedParameters<TNetwork>(pooled, packed);
        }

        public void Predict(ReadOnlySpan<float> input, Span<float> output)
        {
            if (_pooled is null)
            {
                TNetwork.Predict(_values, input, output);
            }
            else
            {
                TNetwork.PredictPacked(_values, input, output);
            }
        }

        public void Dispose()
        {
            if (_pooled is not null)
            {
                System.Buffers.ArrayPool<float>.Shared.Return(_pooled);
            }
        }
    }

    /// <summary>How many samples a prediction over a data set needs before packing the parameters pays: the copy costs about as much as a few predictions save.</summary>
    private const int PackingMinimumSamples = 32;

    private static void CheckInput(int length, int inputSize)
    {
        if (length != inputSize)
        {
            throw new ArgumentException($"The network takes {inputSize} features; the input has {length}.", "input");
        }
    }

    private static void CheckFeatures(DataSet data, int inputSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureSize != inputSize)
        {
            throw new ArgumentException($"The network takes {inputSize} features per sample; the data set has {data.FeatureSize}.", nameof(data));
        }
    }
}
