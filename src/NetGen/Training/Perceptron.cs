namespace NetGen;

/// <summary>
/// Rosenblatt's perceptron learning rule, for networks of a single dense layer (typically with
/// <see cref="Activation.Step"/>, whose derivative is zero, so gradient descent cannot train it). For each sample
/// and each output k with error e = y_k - y-hat_k: w_k := w_k + eta e x and b_k := b_k + eta e. It stops after a
/// pass with no mistake; it converges whenever the classes are linearly separable (the perceptron convergence
/// theorem) and never otherwise, as for XOR.
/// </summary>
public static class Perceptron
{
    /// <summary>Trains <paramref name="network"/> by the perceptron rule, visiting the samples in order.</summary>
    /// <param name="network">The network: a single dense layer.</param>
    /// <param name="data">The samples, with targets 0 or 1.</param>
    /// <param name="maxEpochs">The most passes over the data.</param>
    /// <param name="learningRate">eta, finite and above 0. The default is 1.</param>
    /// <exception cref="ArgumentException">The network has more than one layer, or the data does not fit it.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxEpochs"/> is negative, or <paramref name="learningRate"/> is not finite and above 0.</exception>
    public static PerceptronResult Train<TNetwork>(TNetwork network, DataSet data, int maxEpochs, double learningRate = 1)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(maxEpochs);
        if (!double.IsFinite(learningRate) || !(learningRate > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a finite number above 0.");
        }
        if (TNetwork.Layers.Count != 1 || TNetwork.Layers[0].Kind != LayerKind.Dense)
        {
            throw new ArgumentException(
                $"The perceptron rule trains a single dense layer; {typeof(TNetwork).Name} has {TNetwork.Layers.Count} layers. Train it by gradient descent (Trainer).",
                nameof(network));
        }
        if (data.FeatureSize != TNetwork.InputSize || data.TargetSize != TNetwork.OutputSize)
        {
            throw new ArgumentException(
                $"{typeof(TNetwork).Name} takes {TNetwork.InputSize} features and {TNetwork.OutputSize} targets per sample; " +
                $"the data set has {data.FeatureSize} features and {data.TargetSize} targets.", nameof(data));
        }

        LayerInfo layer = TNetwork.Layers[0];
        float rate = (float)learningRate;
        Span<float> parameters = network.Parameters;
        Span<float> output = stackalloc float[TNetwork.OutputSize];
        float best = 0f, accuracy = Accuracy(network, data, output);
        int epoch = 0;
        bool converged = accuracy == 1f;
        while (!converged && epoch < maxEpochs)
        {
            epoch++;
            int mistakes = 0;
            for (int s = 0; s < data.Count; s++)
            {
                var x = data.GetFeatures(s);
                var y = data.GetTargets(s);
                TNetwork.Predict(parameters, x, output);
                for (int k = 0; k < layer.OutputSize; k++)
                {
                    float error = y[k] - output[k];
                    if (error == 0f)
                    {
                        continue;
                    }
                    mistakes++;
                    Span<float> weights = parameters.Slice(layer.WeightsOffset + k * layer.InputSize, layer.InputSize);
                    for (int i = 0; i < weights.Length; i++)
                    {
                        weights[i] += rate * error * x[i];
                    }
                    parameters[layer.BiasesOffset + k] += rate * error;
                }
            }
            accuracy = Accuracy(network, data, output);
            best = Math.Max(best, accuracy);
            converged = mistakes == 0;
        }
        return new PerceptronResult(epoch, converged, accuracy, Math.Max(best, accuracy));
    }

    private static float Accuracy<TNetwork>(TNetwork network, DataSet data, Span<float> output)
        where TNetwork : class, INetwork<TNetwork>
    {
        int correct = 0;
        for (int s = 0; s < data.Count; s++)
        {
            TNetwork.Predict(network.Parameters, data.GetFeatures(s), output);
            if (AllOnSameSide(output, data.GetTargets(s)))
            {
                correct++;
            }
        }
        return (float)correct / data.Count;
    }

    private static bool AllOnSameSide(ReadOnlySpan<float> output, ReadOnlySpan<float> target)
    {
        for (int k = 0; k < output.Length; k++)
        {
            if ((output[k] >= 0.5f) != (target[k] >= 0.5f))
            {
                return false;
            }
        }
        return true;
    }
}
