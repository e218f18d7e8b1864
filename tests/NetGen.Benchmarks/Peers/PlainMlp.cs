namespace NetGen.Benchmarks.Peers;

/// <summary>
/// The "plain C#" peer: a multi-layer perceptron written the way a user would write one by hand from the course's
/// formulas. Jagged arrays (weights[layer][unit][input]), nested for loops, MathF, no SIMD, no spans, no unsafe code.
/// Buffers are allocated once in the constructor, as a careful user would, so a step allocates nothing either.
/// </summary>
public sealed class PlainMlp
{
    private readonly int[] _sizes;            // units per layer, _sizes[0] = inputs
    private readonly Activation[] _activations; // per layer after the input
    private readonly Loss _loss;

    private readonly float[][][] _weights;     // [layer][unit][input]
    private readonly float[][] _biases;        // [layer][unit]
    private readonly float[][][] _weightGradients;
    private readonly float[][] _biasGradients;
    private readonly float[][] _values;        // [layer + 1][unit]: _values[0] is the input, then each layer's a
    private readonly float[][] _deltas;        // [layer][unit]: dL/dz

    private float[][][]? _weightM, _weightV;   // Adam's moments
    private float[][]? _biasM, _biasV;
    private int _adamSteps;

    /// <summary>Builds the network with the layer sizes and activations of a NetGen network and copies its parameters.</summary>
    public PlainMlp(IReadOnlyList<LayerInfo> layers, Loss loss, ReadOnlySpan<float> netGenParameters)
    {
        int layerCount = layers.Count;
        _sizes = new int[layerCount + 1];
        _sizes[0] = layers[0].InputSize;
        _activations = new Activation[layerCount];
        _loss = loss;
        _weights = new float[layerCount][][];
        _biases = new float[layerCount][];
        _weightGradients = new float[layerCount][][];
        _biasGradients = new float[layerCount][];
        _values = new float[layerCount + 1][];
        _deltas = new float[layerCount][];
        _values[0] = new float[_sizes[0]];
        for (int l = 0; l < layerCount; l++)
        {
            int inputs = layers[l].InputSize, units = layers[l].OutputSize;
            _sizes[l + 1] = units;
            _activations[l] = layers[l].Activation;
            _weights[l] = new float[units][];
            _weightGradients[l] = new float[units][];
            for (int j = 0; j < units; j++)
            {
                _weights[l][j] = new float[inputs];
                _weightGradients[l][j] = new float[inputs];
            }
            _biases[l] = new float[units];
            _biasGradients[l] = new float[units];
            _values[l + 1] = new float[units];
            _deltas[l] = new float[units];
        }
        SetParameters(layers, netGenParameters);
    }

    /// <summary>Copies parameters laid out as NetGen lays them out (per layer: weights row-major, then biases).</summary>
    public void SetParameters(IReadOnlyList<LayerInfo> layers, ReadOnlySpan<float> parameters)
    {
        for (int l = 0; l < layers.Count; l++)
        {
            for (int j = 0; j < _sizes[l + 1]; j++)
            {
                for (int i = 0; i < _sizes[l]; i++)
                {
                    _weights[l][j][i] = parameters[layers[l].WeightsOffset + j * _sizes[l] + i];
                }
                _biases[l][j] = parameters[layers[l].BiasesOffset + j];
            }
        }
    }

    /// <summary>The parameters in NetGen's layout, to compare implementations.</summary>
    public float[] GetParameters(IReadOnlyList<LayerInfo> layers, int parameterCount)
    {
        var parameters = new float[parameterCount];
        for (int l = 0; l < layers.Count; l++)
        {
            for (int j = 0; j < _sizes[l + 1]; j++)
            {
                for (int i = 0; i < _sizes[l]; i++)
                {
                    parameters[layers[l].WeightsOffset + j * _sizes[l] + i] = _weights[l][j][i];
                }
                parameters[layers[l].BiasesOffset + j] = _biases[l][j];
            }
        }
        return parameters;
    }

    /// <summary>The forward pass; the result is copied to <paramref name="output"/>.</summary>
    public void Predict(float[] input, float[] output)
    {
        Forward(input);
        float[] last = _values[_values.Length - 1];
        for (int k = 0; k < last.Length; k++)
        {
            output[k] = last[k];
        }
    }

    /// <summary>
    /// One step of gradient descent on the samples <paramref name="indices"/>[start .. start + count): the mean of
    /// their gradients, then an SGD (or Adam) update. Returns the mean loss.
    /// </summary>
    public float TrainBatch(float[][] features, float[][] targets, int[] indices, int start, int count, float learningRate, bool adam)
    {
        ClearGradients();
        float lossSum = 0f;
        for (int n = start; n < start + count; n++)
        {
            int s = indices[n];
            Forward(features[s]);
            lossSum += Backward(targets[s]);
        }
        float scale = 1f / count;
        if (adam)
        {
            AdamStep(learningRate, scale);
        }
        else
        {
            SgdStep(learningRate, scale);
        }
        return lossSum / count;
    }

    private void Forward(float[] input)
    {
        for (int i = 0; i < input.Length; i++)
        {
            _values[0][i] = input[i];
        }
        for (int l = 0; l < _weights.Length; l++)
        {
            float[] x = _values[l];
            float[] a = _values[l + 1];
            for (int j = 0; j < a.Length; j++)
            {
                float z = _biases[l][j];
                for (int i = 0; i < x.Length; i++)
                {
                    z += _weights[l][j][i] * x[i];
                }
                a[j] = z;
            }
            Activate(_activations[l], a);
        }
    }

    private static void Activate(Activation activation, float[] a)
    {
        switch (activation)
        {
            case Activation.Tanh:
                for (int j = 0; j < a.Length; j++)
                {
                    a[j] = MathF.Tanh(a[j]);
                }
                break;
            case Activation.Sigmoid:
                for (int j = 0; j < a.Length; j++)
                {
                    a[j] = 1f / (1f + MathF.Exp(-a[j]));
                }
                break;
            case Activation.ReLU:
                for (int j = 0; j < a.Length; j++)
                {
                    a[j] = a[j] > 0f ? a[j] : 0f;
                }
                break;
            case Activation.Softmax:
                float max = a[0];
                for (int j = 1; j < a.Length; j++)
                {
                    max = Math.Max(max, a[j]);
                }
                float sum = 0f;
                for (int j = 0; j < a.Length; j++)
                {
                    a[j] = MathF.Exp(a[j] - max);
                    sum += a[j];
                }
                for (int j = 0; j < a.Length; j++)
                {
                    a[j] /= sum;
                }
                break;
            case Activation.Identity:
                break;
            default:
                throw new NotSupportedException(activation.ToString());
        }
    }

    private static float Derivative(Activation activation, float a) => activation switch
    {
        Activation.Tanh => 1f - a * a,
        Activation.Sigmoid => a * (1f - a),
        Activation.ReLU => a > 0f ? 1f : 0f,
        _ => 1f,
    };

    // Backpropagation of one sample after Forward: adds dL/dW and dL/db into the gradients, returns L.
    private float Backward(float[] target)
    {
        int last = _weights.Length - 1;
        float[] output = _values[last + 1];
        float[] delta = _deltas[last];
        float loss = 0f;
        if (_loss == Loss.CrossEntropy)
        {
            for (int k = 0; k < output.Length; k++)
            {
                if (target[k] != 0f)
                {
                    loss -= target[k] * MathF.Log(Math.Max(output[k], 1e-30f));
                }
                delta[k] = output[k] - target[k]; // softmax and cross-entropy together
            }
        }
        else
        {
            for (int k = 0; k < output.Length; k++)
            {
                float error = output[k] - target[k];
                loss += error * error / output.Length;
                delta[k] = 2f * error / output.Length * Derivative(_activations[last], output[k]);
            }
        }
        for (int l = last; l >= 0; l--)
        {
            float[] x = _values[l];
            float[] d = _deltas[l];
            for (int j = 0; j < d.Length; j++)
            {
                for (int i = 0; i < x.Length; i++)
                {
                    _weightGradients[l][j][i] += d[j] * x[i];
                }
                _biasGradients[l][j] += d[j];
            }
            if (l > 0)
            {
                float[] previous = _deltas[l - 1];
                for (int i = 0; i < x.Length; i++)
                {
                    float sum = 0f;
                    for (int j = 0; j < d.Length; j++)
                    {
                        sum += _weights[l][j][i] * d[j];
                    }
                    previous[i] = sum * Derivative(_activations[l - 1], x[i]);
                }
            }
        }
        return loss;
    }

    private void ClearGradients()
    {
        for (int l = 0; l < _weights.Length; l++)
        {
            for (int j = 0; j < _weights[l].Length; j++)
            {
                for (int i = 0; i < _weights[l][j].Length; i++)
                {
                    _weightGradients[l][j][i] = 0f;
                }
                _biasGradients[l][j] = 0f;
            }
        }
    }

    private void SgdStep(float learningRate, float scale)
    {
        for (int l = 0; l < _weights.Length; l++)
        {
            for (int j = 0; j < _weights[l].Length; j++)
            {
                for (int i = 0; i < _weights[l][j].Length; i++)
                {
                    _weights[l][j][i] -= learningRate * _weightGradients[l][j][i] * scale;
                }
                _biases[l][j] -= learningRate * _biasGradients[l][j] * scale;
            }
        }
    }

    // Adam (Kingma and Ba), beta1 0.9, beta2 0.999, epsilon 1e-8, as torch.optim.Adam.
    private void AdamStep(float learningRate, float scale)
    {
        const float Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;
        if (_weightM is null)
        {
            _weightM = NewLike(_weightGradients);
            _weightV = NewLike(_weightGradients);
            _biasM = NewLike(_biasGradients);
            _biasV = NewLike(_biasGradients);
        }
        _adamSteps++;
        float correction1 = 1f - MathF.Pow(Beta1, _adamSteps);
        float correction2 = 1f - MathF.Pow(Beta2, _adamSteps);
        for (int l = 0; l < _weights.Length; l++)
        {
            for (int j = 0; j < _weights[l].Length; j++)
            {
                for (int i = 0; i < _weights[l][j].Length; i++)
                {
                    float g = _weightGradients[l][j][i] * scale;
                    _weightM[l][j][i] = Beta1 * _weightM[l][j][i] + (1f - Beta1) * g;
                    _weightV![l][j][i] = Beta2 * _weightV[l][j][i] + (1f - Beta2) * g * g;
                    float mHat = _weightM[l][j][i] / correction1;
                    float vHat = _weightV[l][j][i] / correction2;
                    _weights[l][j][i] -= learningRate * mHat / (MathF.Sqrt(vHat) + Epsilon);
                }
                float gb = _biasGradients[l][j] * scale;
                _biasM![l][j] = Beta1 * _biasM[l][j] + (1f - Beta1) * gb;
                _biasV![l][j] = Beta2 * _biasV[l][j] + (1f - Beta2) * gb * gb;
                float mHatB = _biasM[l][j] / correction1;
                float vHatB = _biasV[l][j] / correction2;
                _biases[l][j] -= learningRate * mHatB / (MathF.Sqrt(vHatB) + Epsilon);
            }
        }
    }

    private static float[][][] NewLike(float[][][] shape)
    {
        var copy = new float[shape.Length][][];
        for (int l = 0; l < shape.Length; l++)
        {
            copy[l] = NewLike(shape[l]);
        }
        return copy;
    }

    private static float[][] NewLike(float[][] shape)
    {
        var copy = new float[shape.Length][];
        for (int j = 0; j < shape.Length; j++)
        {
            copy[j] = new float[shape[j].Length];
        }
        return copy;
    }
}
