namespace NetGen.Tests;

// Small dense networks with mean squared error, which the batch path runs in lanes where Vector512 is accelerated. Every
// tanh or sigmoid layer has at least 4 units, so that the per-sample pass also computes it with vectors: then it gives
// bitwise what the lane form must give. Their widths in lanes: units rounded up to a power of two.
[Network] [Input(2)] [Dense(4, Activation.Tanh)] [Dense(4, Activation.Sigmoid)] public partial class LanesXorWide;            // 4, 4: groups of 4
[Network] [Input(3)] [Dense(5, Activation.ReLU)] [Dense(2, Activation.Identity)] public partial class LanesPadded;          // 8, 2: groups of 2, 3 padding lanes
[Network] [Input(4)] [Dense(6, Activation.Sigmoid)] [Dense(3, Activation.ReLU)] [Dense(4, Activation.Tanh)] public partial class LanesThreeLayers; // 8, 4, 4
[Network] [Input(16)] [Dense(4, Activation.Tanh)] [Dense(16, Activation.Identity)] public partial class LanesSixteenWide;   // 4, 16: one sample a group
[Network] [Input(1)] [Dense(16, Activation.Tanh)] [Dense(1, Activation.Identity)] public partial class LanesOneInput;       // 16, 1
[Network] [Input(5)] [Dense(1, Activation.Identity)] public partial class LanesLinearRegression;                              // 1: groups of 16

/// <summary>
/// The lane form of the micro-batch pass (generated where every layer is small, dense and unrolled and the loss is mean
/// squared error) against the per-sample pass: the gradient, written or added to, and the loss, bitwise, for whole
/// groups, partial groups and several micro-batches. On a machine without 512-bit vectors both run sample by sample
/// and the test checks that path instead.
/// </summary>
public class LanePassTests
{
    public static TheoryData<int> Counts => new() { 1, 2, 3, 4, 5, 8, 16, 17, 32, 64, 128, 133 };

    [Theory]
    [MemberData(nameof(Counts))]
    public void The_batch_gradient_is_bitwise_the_per_sample_sum(int count)
    {
        Check<LanesXorWide>(count);
        Check<LanesPadded>(count);
        Check<LanesThreeLayers>(count);
        Check<LanesSixteenWide>(count);
        Check<LanesOneInput>(count);
        Check<LanesLinearRegression>(count);
    }

    private static void Check<TNetwork>(int count) where TNetwork : class, INetwork<TNetwork>
    {
        var (parameters, inputs, targets) = RandomRows<TNetwork>(count);
        string name = $"{typeof(TNetwork).Name}, {count} samples";

        // Written: the per-sample sum from zeros, the loss summed in sample order.
        var expected = new float[TNetwork.ParameterCount];
        float expectedLoss = 0f;
        for (int s = 0; s < count; s++)
        {
            expectedLoss += TNetwork.AccumulateGradient(parameters, Row(inputs, s, TNetwork.InputSize), Row(targets, s, TNetwork.OutputSize), expected);
        }
        var written = Enumerable.Repeat(float.NaN, TNetwork.ParameterCount).ToArray();
        var masks = new DeterministicRandom(1);
        float loss = TNetwork.ComputeBatchGradient(parameters, inputs, targets, written, ref masks);
        Assert.False(expected.All(g => g == 0f), $"{name}: the gradient is all zeros, so the comparison would show nothing");
        AssertBitwise(expected, written, $"{name}, written");
        if (count <= 64)
        {
            // One micro-batch sums its losses in sample order, as the loop above; more are added micro-batch by micro-batch.
            Assert.Equal(BitConverter.SingleToInt32Bits(expectedLoss), BitConverter.SingleToInt32Bits(loss));
        }

        // Added: onto a gradient that holds something, every term after what was there.
        var start = Enumerable.Range(0, TNetwork.ParameterCount).Select(i => 0.25f * (i % 7) - 0.5f).ToArray();
        var expectedAdded = (float[])start.Clone();
        for (int s = 0; s < count; s++)
        {
            TNetwork.AccumulateGradient(parameters, Row(inputs, s, TNetwork.InputSize), Row(targets, s, TNetwork.OutputSize), expectedAdded);
        }
        var added = (float[])start.Clone();
        TNetwork.AccumulateBatchGradient(parameters, inputs, targets, added, ref masks);
        AssertBitwise(expectedAdded, added, $"{name}, added");
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void The_fused_batch_step_is_bitwise_the_mean_gradient_and_Sgd_Step(int count)
    {
        CheckStep<LanesXorWide>(count);
        CheckStep<LanesPadded>(count);
        CheckStep<LanesThreeLayers>(count);
        CheckStep<LanesSixteenWide>(count);
        CheckStep<LanesOneInput>(count);
        CheckStep<LanesLinearRegression>(count);
        CheckStep<XorNet>(count);
        // No lane form (binary cross-entropy): INetwork's own SgdBatchStep, through a gradient array.
        CheckStep<U2TanhSigmoidBce>(count);
    }

    [Fact]
    public void Only_the_lane_form_networks_fuse_the_step()
    {
        Assert.True(Fuses<LanesXorWide>());
        Assert.True(Fuses<XorNet>());
        Assert.False(Fuses<U2TanhSigmoidBce>());
        Assert.False(Fuses<DropoutNet>());
    }

    [Fact]
    public void A_step_whose_loss_is_not_finite_changes_nothing()
    {
        var (parameters, inputs, targets) = RandomRows<LanesXorWide>(8);
        targets[5] = float.NaN;
        var before = (float[])parameters.Clone();
        float loss = LanesXorWide.SgdBatchStep(parameters, inputs, targets, 0.5f);
        Assert.False(float.IsFinite(loss));
        AssertBitwise(before, parameters, "parameters after a NaN target");
    }

    [Fact]
    public void A_step_whose_gradient_is_not_finite_changes_nothing()
    {
        // One sample's error of 1e19 has a finite square, 1e38, but its gradient 2e19 * 1e20 overflows.
        var (parameters, inputs, targets) = RandomRows<LanesLinearRegression>(16);
        parameters.AsSpan().Clear();
        parameters[0] = 0.1f;
        inputs.AsSpan(0, LanesLinearRegression.InputSize).Clear();
        inputs[0] = 1e20f;
        targets[0] = 0f;
        var before = (float[])parameters.Clone();
        float loss = LanesLinearRegression.SgdBatchStep(parameters, inputs, targets, 0.5f);
        Assert.True(float.IsNaN(loss), $"the step returned {loss:R}, not NaN");
        AssertBitwise(before, parameters, "parameters after an infinite gradient");
    }

    [Fact]
    public void Trainer_Train_gives_the_parameters_of_its_unfused_step()
    {
        // Full batches of 8 with plain Sgd take the fused step; the same epochs by hand take ComputeBatchGradient, the mean and Sgd.Step.
        var (initial, inputs, targets) = RandomRows<LanesThreeLayers>(8);
        var data = new DataSet(inputs, targets, LanesThreeLayers.InputSize, LanesThreeLayers.OutputSize);
        var net = new LanesThreeLayers();
        initial.CopyTo(net.Parameters, 0);
        var trained = new Sgd();
        var options = new TrainingOptions { Epochs = 50, BatchSize = TrainingOptions.FullBatch, LearningRate = 0.3, Shuffle = false, EvaluateTrainingData = false, Optimizer = trained };
        TrainingResult result = Trainer.Train(net, data, options);

        var parameters = (float[])initial.Clone();
        var gradient = new float[LanesThreeLayers.ParameterCount];
        var sgd = new Sgd();
        var random = new DeterministicRandom(0);
        float meanLoss = 0f;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            meanLoss = LanesThreeLayers.ComputeBatchGradient(parameters, inputs, targets, gradient, ref random) / 8;
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] *= 1f / 8;
            }
            sgd.Step(parameters, gradient, options.LearningRate);
        }
        AssertBitwise(parameters, net.Parameters, "Trainer.Train against the loop");
        Assert.Equal(BitConverter.SingleToInt32Bits(meanLoss), BitConverter.SingleToInt32Bits(result.History[^1].Loss));
        Assert.Equal(options.Epochs, trained.StepCount);
    }

    [Fact]
    public void A_quiet_training_that_runs_away_gives_back_the_last_sound_epoch()
    {
        // Gradient descent on least squares with too large a rate grows geometrically: no NaN for many epochs, but the loss
        // and the parameters pass a thousandfold. No callback watches, so the trainer takes its quiet loop and the fused step.
        var (initial, inputs, targets) = RandomRows<LanesLinearRegression>(16);
        var data = new DataSet(inputs, targets, LanesLinearRegression.InputSize, LanesLinearRegression.OutputSize);
        TrainingOptions Options(int epochs) => new() { Epochs = epochs, BatchSize = TrainingOptions.FullBatch, LearningRate = 6, Shuffle = false, EvaluateTrainingData = false };
        var net = new LanesLinearRegression();
        initial.CopyTo(net.Parameters, 0);
        var error = Assert.Throws<TrainingDivergedException>(() => Trainer.Train(net, data, Options(500)));
        int epoch = error.Epoch!.Value;
        Assert.True(epoch > 2, $"diverged at epoch {epoch}: too early to show which parameters come back");
        Assert.Contains($"end of epoch {epoch - 1}", error.Message);

        var sound = new LanesLinearRegression();
        initial.CopyTo(sound.Parameters, 0);
        Trainer.Train(sound, data, Options(epoch - 1));
        AssertBitwise(sound.Parameters, net.Parameters, "the parameters given back");
    }

    private static bool Fuses<TNetwork>() where TNetwork : class, INetwork<TNetwork> => TNetwork.FusesBatchSgdStep;

    private static void CheckStep<TNetwork>(int count) where TNetwork : class, INetwork<TNetwork>
    {
        var (parameters, inputs, targets) = RandomRows<TNetwork>(count);
        const float Rate = 0.25f;
        var expected = (float[])parameters.Clone();
        var gradient = new float[TNetwork.ParameterCount];
        var random = new DeterministicRandom(0);
        float expectedLoss = TNetwork.ComputeBatchGradient(expected, inputs, targets, gradient, ref random);
        for (int i = 0; i < gradient.Length; i++)
        {
            gradient[i] *= 1f / count;
        }
        new Sgd().Step(expected, gradient, Rate);

        float loss = TNetwork.SgdBatchStep(parameters, inputs, targets, Rate);
        string name = $"{typeof(TNetwork).Name}, {count} samples";
        Assert.True(BitConverter.SingleToInt32Bits(expectedLoss) == BitConverter.SingleToInt32Bits(loss), $"{name}: loss {loss:R}, expected {expectedLoss:R}");
        AssertBitwise(expected, parameters, $"{name}, the step");
    }

    private static (float[] Parameters, float[] Inputs, float[] Targets) RandomRows<TNetwork>(int count) where TNetwork : class, INetwork<TNetwork>
    {
        var random = new DeterministicRandom(count * 31 + TNetwork.ParameterCount);
        var parameters = new float[TNetwork.ParameterCount];
        TNetwork.InitializeParameters(parameters, seed: count);
        // Biases too, so that a bias read from the wrong unit shows.
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] += 0.1f * (2f * random.NextSingle() - 1f);
        }
        var inputs = new float[count * TNetwork.InputSize];
        var targets = new float[count * TNetwork.OutputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = 2f * random.NextSingle() - 1f;
        }
        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = random.NextSingle();
        }
        return (parameters, inputs, targets);
    }

    private static ReadOnlySpan<float> Row(float[] rows, int sample, int size) => rows.AsSpan(sample * size, size);

    private static void AssertBitwise(float[] expected, float[] actual, string name)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{name}: gradient[{i}] is {actual[i]:R} by batch, {expected[i]:R} sample by sample.");
        }
    }
}
