namespace NetGen.Tests;

/// <summary>
/// Every generated gradient against central finite differences of the scalar reference, and every generated
/// forward pass against the reference, over all the activations and losses that go together.
/// </summary>
public class GradientTests
{
    public static TheoryData<string> Networks => new(NetworkCases.All.Keys);

    [Theory]
    [MemberData(nameof(Networks))]
    public void Gradient_matches_central_finite_differences(string network) => NetworkCases.All[network].CheckGradient();

    [Theory]
    [MemberData(nameof(Networks))]
    public void Predict_matches_the_scalar_reference(string network) => NetworkCases.All[network].CheckPredict();

    [Theory]
    [MemberData(nameof(Networks))]
    public void Evaluate_returns_the_reference_loss(string network) => NetworkCases.All[network].CheckLoss();

    [Theory]
    [MemberData(nameof(Networks))]
    public void AccumulateGradient_adds_to_what_the_gradient_holds(string network) => NetworkCases.All[network].CheckAccumulation();

    [Theory]
    [MemberData(nameof(Networks))]
    public void The_batch_path_adds_the_same_gradients_as_one_sample_at_a_time(string network) => NetworkCases.All[network].CheckBatch();

    [Theory]
    [MemberData(nameof(Networks))]
    public void ComputeBatchGradient_writes_what_AccumulateBatchGradient_adds_to_zeros(string network) => NetworkCases.All[network].CheckComputeBatch();

    [Theory]
    [MemberData(nameof(Networks))]
    public void SgdStep_moves_the_parameters_against_the_gradient(string network) => NetworkCases.All[network].CheckSgdStep();

    [Fact]
    public void SgdStep_drops_the_units_AccumulateGradient_drops_for_the_same_generator()
    {
        var parameters = new float[DropoutNet.ParameterCount];
        DropoutNet.InitializeParameters(parameters, seed: 4);
        float[] input = [0.5f, -0.2f, 0.9f, -0.7f, 0.1f, 0.3f], target = [0f, 1f, 0f];
        for (int step = 0; step < 5; step++)
        {
            var random1 = new DeterministicRandom(20 + step);
            var random2 = random1;
            var gradient = new float[DropoutNet.ParameterCount];
            float expectedLoss = DropoutNet.AccumulateGradient(parameters, input, target, gradient, ref random1);
            float[] updated = parameters.ToArray();
            float loss = DropoutNet.SgdStep(updated, input, target, 0.5f, ref random2);
            Assert.Equal(expectedLoss, loss);
            Assert.Equal(random1.NextUInt32(), random2.NextUInt32());
            int changed = 0;
            for (int i = 0; i < parameters.Length; i++)
            {
                Assert.Equal(parameters[i] - 0.5f * gradient[i], updated[i], 1e-6f);
                changed += updated[i] != parameters[i] ? 1 : 0;
            }
            Assert.True(changed > 0);
            parameters = updated;
        }
    }

    [Fact]
    public void SgdStep_leaves_the_parameters_as_they_were_when_the_loss_is_not_finite()
    {
        var net = new M3TanhReLUSoftmaxCe();
        float[] before = net.Parameters.ToArray();
        var input = new float[M3TanhReLUSoftmaxCe.InputSize];
        var target = new float[M3TanhReLUSoftmaxCe.OutputSize];
        target[0] = 1f;
        input[1] = float.NaN;
        Assert.True(float.IsNaN(net.SgdStep(input, target, 0.1f)));
        Assert.Equal(before, net.Parameters);

        // Finite inputs whose weighted sums overflow in a ReLU layer: the logits and the loss are not finite.
        var relu = new S2ReLUSoftmaxCe();
        float[] reluBefore = relu.Parameters.ToArray();
        var huge = new float[S2ReLUSoftmaxCe.InputSize];
        huge.AsSpan().Fill(3e38f);
        Assert.False(float.IsFinite(relu.SgdStep(huge, new float[S2ReLUSoftmaxCe.OutputSize], 0.1f)));
        Assert.Equal(reluBefore, relu.Parameters);
    }

    [Fact]
    public void The_batch_path_draws_the_same_dropout_masks_for_one_sample()
    {
        var parameters = new float[DropoutNet.ParameterCount];
        DropoutNet.InitializeParameters(parameters, seed: 3);
        float[] input = [0.5f, -0.2f, 0.9f, -0.7f, 0.1f, 0.3f], target = [0f, 0f, 1f];
        var perSample = new float[DropoutNet.ParameterCount];
        var batch = new float[DropoutNet.ParameterCount];
        var random1 = new DeterministicRandom(9);
        var random2 = random1;
        float loss1 = DropoutNet.AccumulateGradient(parameters, input, target, perSample, ref random1);
        float loss2 = DropoutNet.AccumulateBatchGradient(parameters, input, target, batch, ref random2);
        Assert.Equal(loss1, loss2);
        Assert.Equal(perSample, batch);
        Assert.Equal(random1.NextUInt32(), random2.NextUInt32());
    }

    [Fact]
    public void Vector_activations_match_the_reference_from_tiny_to_saturated_inputs()
    {
        // Weighted sums from about 1e-4 to 1e3: the series branch of tanh, the polynomial e^x over its whole range, and
        // the clamped ends where sigmoid and tanh saturate and softmax puts everything on one output.
        CheckAcrossScales<S1TanhMse>();
        CheckAcrossScales<S1SigmoidBce>();
        CheckAcrossScales<S1SoftmaxCe>();
    }

    private static void CheckAcrossScales<TNetwork>() where TNetwork : class, INetwork<TNetwork>
    {
        var random = new DeterministicRandom(77);
        var parameters = new float[TNetwork.ParameterCount];
        TNetwork.InitializeParameters(parameters, seed: 1);
        var input = new float[TNetwork.InputSize];
        var output = new float[TNetwork.OutputSize];
        foreach (float scale in new[] { 1e-4f, 1e-2f, 0.3f, 1f, 3f, 10f, 30f, 100f, 1000f })
        {
            for (int trial = 0; trial < 5; trial++)
            {
                for (int i = 0; i < input.Length; i++)
                {
                    input[i] = scale * random.NextSingle(-1f, 1f);
                }
                TNetwork.Predict(parameters, input, output);
                double[] expected = ScalarReference.Forward(TNetwork.Layers, parameters, input, out _);
                // The float weighted sums themselves carry a rounding error of about 1e-7 of the sum of their terms'
                // sizes; no activation's slope exceeds 1, so that much may reach the outputs whatever the activation does.
                LayerInfo layer = TNetwork.Layers[0];
                double magnitude = 0;
                for (int j = 0; j < layer.OutputSize; j++)
                {
                    double terms = Math.Abs(parameters[layer.BiasesOffset + j]);
                    for (int i = 0; i < input.Length; i++)
                    {
                        terms += Math.Abs((double)parameters[layer.WeightsOffset + j * input.Length + i] * input[i]);
                    }
                    magnitude = Math.Max(magnitude, terms);
                }
                for (int k = 0; k < output.Length; k++)
                {
                    Assert.True(Math.Abs(output[k] - expected[k]) <= 1e-7 + 2e-6 * Math.Abs(expected[k]) + 1e-6 * magnitude,
                        $"{typeof(TNetwork).Name}, inputs of scale {scale}: output[{k}] is {output[k]}, the reference gives {expected[k]}.");
                }
            }
        }
    }

    [Fact]
    public void Unrolled_and_looped_code_compute_the_same_network()
    {
        var random = new DeterministicRandom(5);
        var parameters = new float[XorNet.ParameterCount];
        XorNet.InitializeParameters(parameters, 3);
        for (int trial = 0; trial < 20; trial++)
        {
            float[] input = [random.NextSingle(-2, 2), random.NextSingle(-2, 2)];
            float[] target = [random.NextSingle()];
            var unrolled = new float[1];
            var looped = new float[1];
            XorNet.Predict(parameters, input, unrolled);
            XorNetLooped.Predict(parameters, input, looped);
            Assert.Equal(unrolled[0], looped[0], 1e-6f);

            var gradientUnrolled = new float[XorNet.ParameterCount];
            var gradientLooped = new float[XorNet.ParameterCount];
            XorNet.AccumulateGradient(parameters, input, target, gradientUnrolled);
            XorNetLooped.AccumulateGradient(parameters, input, target, gradientLooped);
            for (int i = 0; i < gradientUnrolled.Length; i++)
            {
                Assert.Equal(gradientUnrolled[i], gradientLooped[i], 1e-6f);
            }
        }
    }
}

/// <summary>One network under test, with the checks written once, generic over the generated class.</summary>
internal abstract class NetworkCase
{
    public abstract void CheckGradient();
    public abstract void CheckPredict();
    public abstract void CheckLoss();
    public abstract void CheckAccumulation();
    public abstract void CheckBatch();

    public abstract void CheckComputeBatch();
    public abstract void CheckSgdStep();
}

internal sealed class NetworkCase<TNetwork> : NetworkCase where TNetwork : class, INetwork<TNetwork>
{
    private const int Trials = 3;

    public override void CheckGradient()
    {
        for (int trial = 0; trial < Trials; trial++)
        {
            var (parameters, input, target) = RandomSample(trial);
            var gradient = new float[TNetwork.ParameterCount];
            TNetwork.AccumulateGradient(parameters, input, target, gradient);
            double[] expected = ScalarReference.FiniteDifferenceGradient<TNetwork>(parameters, input, target);
            ScalarReference.AssertGradientMatches(gradient, expected, $"{typeof(TNetwork).Name}, trial {trial}");
        }
    }

    public override void CheckPredict()
    {
        for (int trial = 0; trial < Trials; trial++)
        {
            var (parameters, input, _) = RandomSample(trial);
            var output = new float[TNetwork.OutputSize];
            TNetwork.Predict(parameters, input, output);
            double[] expected = ScalarReference.Forward(TNetwork.Layers, parameters, input, out _);
            for (int k = 0; k < output.Length; k++)
            {
                Assert.True(Math.Abs(output[k] - expected[k]) <= 1e-5 + 1e-5 * Math.Abs(expected[k]),
                    $"{typeof(TNetwork).Name}, trial {trial}: output[{k}] is {output[k]}, the reference gives {expected[k]}.");
            }
        }
    }

    public override void CheckLoss()
    {
        for (int trial = 0; trial < Trials; trial++)
        {
            var (parameters, input, target) = RandomSample(trial);
            var output = new float[TNetwork.OutputSize];
            float loss = TNetwork.Evaluate(parameters, input, target, output);
            double expected = ScalarReference.Loss<TNetwork>(ScalarReference.ToDouble(parameters), ScalarReference.ToDouble(input), ScalarReference.ToDouble(target));
            Assert.True(Math.Abs(loss - expected) <= 1e-5 + 1e-5 * Math.Abs(expected),
                $"{typeof(TNetwork).Name}, trial {trial}: loss is {loss}, the reference gives {expected}.");

            var gradient = new float[TNetwork.ParameterCount];
            Assert.Equal(loss, TNetwork.AccumulateGradient(parameters, input, target, gradient));
        }
    }

    public override void CheckAccumulation()
    {
        var (parameters, input, target) = RandomSample(0);
        var once = new float[TNetwork.ParameterCount];
        TNetwork.AccumulateGradient(parameters, input, target, once);
        var twice = new float[TNetwork.ParameterCount];
        TNetwork.AccumulateGradient(parameters, input, target, twice);
        TNetwork.AccumulateGradient(parameters, input, target, twice);
        for (int i = 0; i < once.Length; i++)
        {
            Assert.Equal(2 * once[i], twice[i], 1e-6f * Math.Max(1f, Math.Abs(twice[i])));
        }
    }

    public override void CheckBatch()
    {
        const int Count = 133;
        var (parameters, inputs, targets) = RandomBatch(Count);
        var expected = new float[TNetwork.ParameterCount];
        float expectedLoss = 0f;
        for (int s = 0; s < Count; s++)
        {
            expectedLoss += TNetwork.AccumulateGradient(parameters, inputs.AsSpan(s * TNetwork.InputSize, TNetwork.InputSize), targets.AsSpan(s * TNetwork.OutputSize, TNetwork.OutputSize), expected);
        }
        var actual = new float[TNetwork.ParameterCount];
        var random = new DeterministicRandom(0);
        float loss = TNetwork.AccumulateBatchGradient(parameters, inputs, targets, actual, ref random);
        Assert.Equal(expectedLoss, loss, 1e-4f * Math.Max(1f, Math.Abs(expectedLoss)));
        float scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
        {
            // The sums are the same terms in another order: equal to rounding.
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1f, scale),
                $"{typeof(TNetwork).Name}: gradient[{i}] is {actual[i]} by batch, {expected[i]} sample by sample.");
        }
    }

    /// <summary>
    /// Random parameters and <paramref name="count"/> random rows of inputs and targets. 133 rows make two full
    /// micro-batches and a partial one for any micro-batch size up to 64.
    /// </summary>
    private (float[] Parameters, float[] Inputs, float[] Targets) RandomBatch(int count)
    {
        var (parameters, _, _) = RandomSample(0);
        var inputs = new float[count * TNetwork.InputSize];
        var targets = new float[count * TNetwork.OutputSize];
        for (int s = 0; s < count; s++)
        {
            var (_, input, target) = RandomSample(s + 1);
            input.CopyTo(inputs, s * TNetwork.InputSize);
            target.CopyTo(targets, s * TNetwork.OutputSize);
        }
        return (parameters, inputs, targets);
    }

    public override void CheckComputeBatch()
    {
        var (parameters, inputs, targets) = RandomBatch(133);
        foreach (int count in new[] { 133, 1, 0 })
        {
            ComputeBatchGradientTests.AssertWritesWhatAccumulateAdds<TNetwork>(
                parameters, inputs.AsSpan(0, count * TNetwork.InputSize).ToArray(), targets.AsSpan(0, count * TNetwork.OutputSize).ToArray());
        }
    }

    public override void CheckSgdStep()
    {
        const float LearningRate = 0.1f;
        for (int trial = 0; trial < Trials; trial++)
        {
            var (parameters, input, target) = RandomSample(trial);
            var gradient = new float[TNetwork.ParameterCount];
            float expectedLoss = TNetwork.AccumulateGradient(parameters, input, target, gradient);
            float[] updated = parameters.ToArray();
            var random = new DeterministicRandom(0);
            float loss = TNetwork.SgdStep(updated, input, target, LearningRate, ref random);
            Assert.Equal(expectedLoss, loss);
            for (int i = 0; i < parameters.Length; i++)
            {
                // theta - eta * dL/dtheta, from the gradient the finite-difference test checks, in double.
                double expected = parameters[i] - (double)LearningRate * gradient[i];
                Assert.True(Math.Abs(updated[i] - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)),
                    $"{typeof(TNetwork).Name}, trial {trial}: parameter {i} is {updated[i]} after the step, expected {expected}.");
            }
        }
    }

    /// <summary>Initialized weights, random biases (so that no bias check is trivially zero), inputs and fitting targets.</summary>
    private static (float[] Parameters, float[] Input, float[] Target) RandomSample(int trial)
    {
        var random = new DeterministicRandom(1000 + trial);
        var parameters = new float[TNetwork.ParameterCount];
        TNetwork.InitializeParameters(parameters, seed: trial);
        foreach (LayerInfo layer in TNetwork.Layers)
        {
            for (int j = 0; j < layer.OutputSize; j++)
            {
                parameters[layer.BiasesOffset + j] = random.NextSingle(-0.5f, 0.5f);
            }
        }
        var input = new float[TNetwork.InputSize];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = random.NextSingle(-1f, 1f);
        }
        var target = new float[TNetwork.OutputSize];
        switch (TNetwork.Loss)
        {
            case Loss.CrossEntropy:
                target[random.NextInt32(target.Length)] = 1f; // a one-hot label
                break;
            case Loss.BinaryCrossEntropy:
                for (int k = 0; k < target.Length; k++)
                {
                    target[k] = random.NextSingle(); // probabilities, not only 0 and 1
                }
                break;
            default:
                for (int k = 0; k < target.Length; k++)
                {
                    target[k] = random.NextSingle(-1f, 1f);
                }
                break;
        }
        return (parameters, input, target);
    }
}

internal static class NetworkCases
{
    public static readonly IReadOnlyDictionary<string, NetworkCase> All = new Dictionary<string, NetworkCase>
    {
        [nameof(U1IdentityMse)] = new NetworkCase<U1IdentityMse>(),
        [nameof(U1SigmoidMse)] = new NetworkCase<U1SigmoidMse>(),
        [nameof(U1TanhMse)] = new NetworkCase<U1TanhMse>(),
        [nameof(U1ReLUMse)] = new NetworkCase<U1ReLUMse>(),
        [nameof(U1SoftmaxMse)] = new NetworkCase<U1SoftmaxMse>(),
        [nameof(U1SigmoidBce)] = new NetworkCase<U1SigmoidBce>(),
        [nameof(U1SoftmaxCe)] = new NetworkCase<U1SoftmaxCe>(),
        [nameof(S1IdentityMse)] = new NetworkCase<S1IdentityMse>(),
        [nameof(S1TanhMse)] = new NetworkCase<S1TanhMse>(),
        [nameof(S1ReLUMse)] = new NetworkCase<S1ReLUMse>(),
        [nameof(S1SigmoidBce)] = new NetworkCase<S1SigmoidBce>(),
        [nameof(S1SoftmaxCe)] = new NetworkCase<S1SoftmaxCe>(),
        [nameof(S1SoftmaxMse)] = new NetworkCase<S1SoftmaxMse>(),
        [nameof(U2TanhSigmoidBce)] = new NetworkCase<U2TanhSigmoidBce>(),
        [nameof(U2ReLUSoftmaxCe)] = new NetworkCase<U2ReLUSoftmaxCe>(),
        [nameof(U2SigmoidIdentityMse)] = new NetworkCase<U2SigmoidIdentityMse>(),
        [nameof(S2ReLUSoftmaxCe)] = new NetworkCase<S2ReLUSoftmaxCe>(),
        [nameof(S2TanhSigmoidMse)] = new NetworkCase<S2TanhSigmoidMse>(),
        [nameof(S2IdentityTanhMse)] = new NetworkCase<S2IdentityTanhMse>(),
        [nameof(S2SigmoidSoftmaxMse)] = new NetworkCase<S2SigmoidSoftmaxMse>(),
        [nameof(M3TanhReLUSoftmaxCe)] = new NetworkCase<M3TanhReLUSoftmaxCe>(),
        [nameof(M3SigmoidReLUSigmoidBce)] = new NetworkCase<M3SigmoidReLUSigmoidBce>(),
        [nameof(U3IdentityTanhReLUMse)] = new NetworkCase<U3IdentityTanhReLUMse>(),
        [nameof(XorNet)] = new NetworkCase<XorNet>(),
        [nameof(XorNetLooped)] = new NetworkCase<XorNetLooped>(),
    };
}
