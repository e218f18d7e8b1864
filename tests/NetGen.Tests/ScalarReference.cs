namespace NetGen.Tests;

/// <summary>
/// A plain, unoptimized implementation of a dense network in double precision, written from the textbook formulas
/// and sharing nothing with the generator but the layer description. The generated code is checked against it.
/// </summary>
internal static class ScalarReference
{
    public static double[] Forward(IReadOnlyList<LayerInfo> layers, ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, out double[] logits)
        => Forward(layers, ToDouble(parameters), ToDouble(input), out logits);

    public static double[] Forward(IReadOnlyList<LayerInfo> layers, double[] parameters, double[] input, out double[] logits)
    {
        double[] a = input;
        logits = [];
        foreach (LayerInfo layer in layers)
        {
            var z = new double[layer.OutputSize];
            for (int j = 0; j < layer.OutputSize; j++)
            {
                double sum = parameters[layer.BiasesOffset + j];
                for (int i = 0; i < layer.InputSize; i++)
                {
                    sum += parameters[layer.WeightsOffset + j * layer.InputSize + i] * a[i];
                }
                z[j] = sum;
            }
            logits = z;
            a = Activate(layer.Activation, z);
        }
        return a;
    }

    private static double[] Activate(Activation activation, double[] z)
    {
        if (activation == Activation.Softmax)
        {
            double max = z.Max();
            double[] e = z.Select(v => Math.Exp(v - max)).ToArray();
            double sum = e.Sum();
            return e.Select(v => v / sum).ToArray();
        }
        return z.Select(v => activation switch
        {
            Activation.Identity => v,
            Activation.Step => v >= 0 ? 1.0 : 0.0,
            Activation.Sigmoid => 1.0 / (1.0 + Math.Exp(-v)),
            Activation.Tanh => Math.Tanh(v),
            Activation.ReLU => Math.Max(v, 0.0),
            _ => throw new ArgumentOutOfRangeException(nameof(activation)),
        }).ToArray();
    }

    /// <summary>The loss of one sample, from the textbook definitions (the mean over outputs for MSE and BCE).</summary>
    public static double Loss(Loss loss, double[] prediction, double[] target)
    {
        int k = prediction.Length;
        return loss switch
        {
            NetGen.Loss.MeanSquaredError => Enumerable.Range(0, k).Sum(i => (prediction[i] - target[i]) * (prediction[i] - target[i])) / k,
            NetGen.Loss.BinaryCrossEntropy => -Enumerable.Range(0, k).Sum(i => target[i] * Math.Log(prediction[i]) + (1 - target[i]) * Math.Log(1 - prediction[i])) / k,
            NetGen.Loss.CrossEntropy => -Enumerable.Range(0, k).Sum(i => target[i] * Math.Log(prediction[i])),
            _ => throw new ArgumentOutOfRangeException(nameof(loss)),
        };
    }

    public static double Loss<TNetwork>(double[] parameters, double[] input, double[] target)
        where TNetwork : INetwork<TNetwork>
        => Loss(TNetwork.Loss, Forward(TNetwork.Layers, parameters, input, out _), target);

    /// <summary>dL/dtheta by central finite differences in double: (L(theta + h e_i) - L(theta - h e_i)) / 2h.</summary>
    public static double[] FiniteDifferenceGradient<TNetwork>(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, double step = 1e-6)
        where TNetwork : INetwork<TNetwork>
    {
        double[] x = ToDouble(input), y = ToDouble(target);
        return CentralDifferences(theta => Loss<TNetwork>(theta, x, y), ToDouble(parameters), step);
    }

    /// <summary>The gradient of <paramref name="f"/> at <paramref name="theta"/> by central differences: (f(theta + h e_i) - f(theta - h e_i)) / 2h.</summary>
    public static double[] CentralDifferences(Func<double[], double> f, double[] theta, double step = 1e-6)
    {
        var gradient = new double[theta.Length];
        for (int i = 0; i < theta.Length; i++)
        {
            double original = theta[i];
            theta[i] = original + step;
            double plus = f(theta);
            theta[i] = original - step;
            double minus = f(theta);
            theta[i] = original;
            gradient[i] = (plus - minus) / (2 * step);
        }
        return gradient;
    }

    /// <summary>Asserts that a generated gradient matches finite differences within 1e-4 + 1e-3 |expected|.</summary>
    public static void AssertGradientMatches(ReadOnlySpan<float> gradient, double[] expected, string what)
    {
        Assert.Equal(expected.Length, gradient.Length);
        for (int i = 0; i < gradient.Length; i++)
        {
            Assert.True(Math.Abs(gradient[i] - expected[i]) <= 1e-4 + 1e-3 * Math.Abs(expected[i]),
                $"{what}: dL/dtheta[{i}] is {gradient[i]}, finite differences give {expected[i]}.");
        }
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }
        return result;
    }
}
