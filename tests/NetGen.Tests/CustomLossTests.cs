namespace NetGen.Tests;

/// <summary>A network trained on its own loss: the Huber loss (delta = 1), mean over outputs.</summary>
[Network(Loss = Loss.Custom)]
[Input(5)]
[Dense(7, Activation.Tanh)]
[Dense(3, Activation.Identity)]
public partial class HuberNet
{
    [LossFunction]
    private static float Huber(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        float loss = 0f;
        for (int k = 0; k < prediction.Length; k++)
        {
            float error = prediction[k] - target[k];
            bool quadratic = MathF.Abs(error) <= 1f;
            loss += quadratic ? 0.5f * error * error : MathF.Abs(error) - 0.5f;
            gradient[k] = (quadratic ? error : MathF.Sign(error)) / prediction.Length;
        }
        return loss / prediction.Length;
    }

    internal static double HuberReference(double[] prediction, double[] target)
        => prediction.Select((p, k) => Math.Abs(p - target[k]) <= 1 ? 0.5 * (p - target[k]) * (p - target[k]) : Math.Abs(p - target[k]) - 0.5).Average();
}

/// <summary>The same loss through a softmax output, whose Jacobian the generated OutputDelta applies.</summary>
[Network(Loss = Loss.Custom)]
[Input(4)]
[Dense(3, Activation.Softmax)]
public partial class SquaredSoftmaxNet
{
    [LossFunction]
    public static float SumOfSquares(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        float loss = 0f;
        for (int k = 0; k < prediction.Length; k++)
        {
            loss += (prediction[k] - target[k]) * (prediction[k] - target[k]);
            gradient[k] = 2f * (prediction[k] - target[k]);
        }
        return loss;
    }
}

public class CustomLossTests
{
    [Fact]
    public void The_generated_gradient_of_a_custom_loss_matches_finite_differences()
    {
        CheckAgainstFiniteDifferences<HuberNet>(HuberNet.HuberReference, scale: 3f);
        CheckAgainstFiniteDifferences<SquaredSoftmaxNet>((p, y) => p.Select((v, k) => (v - y[k]) * (v - y[k])).Sum(), scale: 1f);
    }

    private static void CheckAgainstFiniteDifferences<TNetwork>(Func<double[], double[], double> referenceLoss, float scale)
        where TNetwork : class, INetwork<TNetwork>
    {
        var random = new DeterministicRandom(17);
        var parameters = new float[TNetwork.ParameterCount];
        TNetwork.InitializeParameters(parameters, seed: 1);
        float[] input = Enumerable.Range(0, TNetwork.InputSize).Select(_ => random.NextSingle(-1, 1)).ToArray();
        // Targets far enough apart that some errors fall in the linear part of the Huber loss.
        float[] target = Enumerable.Range(0, TNetwork.OutputSize).Select(_ => random.NextSingle(-scale, scale)).ToArray();
        var gradient = new float[TNetwork.ParameterCount];
        float loss = TNetwork.AccumulateGradient(parameters, input, target, gradient);

        double Loss(double[] theta) => referenceLoss(ScalarReference.Forward(TNetwork.Layers, theta, ScalarReference.ToDouble(input), out _), ScalarReference.ToDouble(target));
        double[] t = ScalarReference.ToDouble(parameters);
        Assert.Equal(Loss(t), loss, 1e-5);
        var output = new float[TNetwork.OutputSize];
        Assert.Equal(loss, TNetwork.Evaluate(parameters, input, target, output));
        ScalarReference.AssertGradientMatches(gradient, ScalarReference.CentralDifferences(Loss, t), typeof(TNetwork).Name);
    }

    [Fact]
    public void The_interface_reports_the_custom_loss()
    {
        Assert.Equal(Loss.Custom, LossOf<HuberNet>());
    }

    private static Loss LossOf<TNetwork>() where TNetwork : INetwork<TNetwork> => TNetwork.Loss;
}
