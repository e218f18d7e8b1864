namespace NetGen.Tests;

/// <summary>The trainer's public surface after the 1.0 API review (docs/api-review.md).</summary>
public class TrainingApiTests
{
    [Fact]
    public void Generic_code_calls_a_network_s_instance_members_through_the_extension_members()
    {
        var net = new S2ReLUSoftmaxCe();
        DataSet data = TrainingTests.RandomClassification(1, seed: 2);
        ReadOnlySpan<float> input = data.GetFeatures(0), target = data.GetTargets(0);

        var expected = new float[S2ReLUSoftmaxCe.OutputSize];
        net.Predict(input, expected);
        Assert.Equal(expected, PredictGenerically(net, input.ToArray()));

        var output = new float[S2ReLUSoftmaxCe.OutputSize];
        Assert.Equal(net.Evaluate(input, target, output), EvaluateGenerically(net, input.ToArray(), target.ToArray()));

        var gradient = new float[S2ReLUSoftmaxCe.ParameterCount];
        net.AccumulateGradient(input, target, gradient);
        Assert.Equal(gradient, GradientGenerically(net, input.ToArray(), target.ToArray()));

        var reinitialized = new S2ReLUSoftmaxCe();
        reinitialized.InitializeParameters(42);
        InitializeGenerically(net, 42);
        Assert.Equal(reinitialized.Parameters, net.Parameters);
    }

    private static float[] PredictGenerically<TNetwork>(TNetwork network, float[] input) where TNetwork : class, INetwork<TNetwork>
    {
        var output = new float[TNetwork.OutputSize];
        network.Predict(input, output);
        return output;
    }

    private static float EvaluateGenerically<TNetwork>(TNetwork network, float[] input, float[] target) where TNetwork : class, INetwork<TNetwork>
        => network.Evaluate(input, target, new float[TNetwork.OutputSize]);

    private static float[] GradientGenerically<TNetwork>(TNetwork network, float[] input, float[] target) where TNetwork : class, INetwork<TNetwork>
    {
        var gradient = new float[TNetwork.ParameterCount];
        network.AccumulateGradient(input, target, gradient);
        return gradient;
    }

    private static void InitializeGenerically<TNetwork>(TNetwork network, int seed) where TNetwork : class, INetwork<TNetwork>
        => network.InitializeParameters(seed);

    [Fact]
    public void Evaluate_gives_an_evaluation_result_not_an_epoch_report()
    {
        DataSet data = TrainingTests.RandomClassification(30, seed: 4);
        var net = new S2ReLUSoftmaxCe();
        EvaluationResult result = Trainer.Evaluate(net, data);
        Assert.Equal(30, result.Count);
        double loss = 0;
        var output = new float[S2ReLUSoftmaxCe.OutputSize];
        for (int s = 0; s < data.Count; s++)
        {
            loss += net.Evaluate(data.GetFeatures(s), data.GetTargets(s), output);
        }
        Assert.Equal((float)(loss / data.Count), result.Loss);
        Assert.NotNull(result.Accuracy);
    }

    [Fact]
    public void A_learning_rate_given_as_a_double_is_the_one_reported_and_used()
    {
        // 0.1 is not a float: the report carries the double given, and the step uses it rounded once to float.
        var reports = new RecordedProgress();
        var net = new XorNet();
        float[] before = net.Parameters.ToArray();
        var sum = new float[XorNet.ParameterCount];
        for (int s = 0; s < TrainingTests.Xor.Count; s++)
        {
            XorNet.AccumulateGradient(before, TrainingTests.Xor.GetFeatures(s), TrainingTests.Xor.GetTargets(s), sum);
        }
        Trainer.Train(net, TrainingTests.Xor, new TrainingOptions
        {
            Epochs = 1, BatchSize = TrainingOptions.FullBatch, LearningRate = 0.1, Shuffle = false, Progress = reports,
        });
        Assert.Equal(0.1, reports.Single().LearningRate);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i] - 0.1f * (sum[i] / 4), net.Parameters[i], 1e-6f);
        }
    }

    [Fact]
    public void Learning_rates_out_of_range_are_refused_wherever_they_are_given()
    {
        var trainer = new Trainer<XorNet>(new XorNet(), new TrainingOptions());
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.LearningRate = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.LearningRate = double.PositiveInfinity);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd().Step(new float[3], new float[3], double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train(new XorNet(), TrainingTests.Xor, new TrainingOptions { MaxGradientNorm = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train(new XorNet(), TrainingTests.Xor, new TrainingOptions { ValidationSplit = 0.5, EarlyStopping = new EarlyStopping { MinDelta = double.NaN } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Perceptron.Train(new TwoInputPerceptron(), TrainingTests.And, maxEpochs: 10, learningRate: 0));
    }

    [Fact]
    public void AdamW_shrinks_the_parameters_before_Adam_s_step_and_Adam_adds_weight_decay_to_the_gradient()
    {
        // With a zero gradient Adam's moments stay zero, so its step is 0: AdamW only shrinks by 1 - eta lambda, and
        // Adam with weight decay steps against lambda theta instead.
        float[] parameters = [1f, -2f, 4f];
        var adamW = new AdamW(weightDecay: 0.1);
        float[] decoupled = parameters.ToArray();
        adamW.Step(decoupled, new float[3], 0.5);
        Assert.Equal(parameters.Select(p => p * (float)(1 - 0.5 * 0.1)), decoupled);

        var adam = new Adam(weightDecay: 0.1);
        float[] coupled = parameters.ToArray();
        adam.Step(coupled, new float[3], 0.5);
        // Adam's first step moves each parameter by about eta against the sign of its gradient, here lambda theta.
        for (int i = 0; i < parameters.Length; i++)
        {
            Assert.Equal(parameters[i] - 0.5f * MathF.Sign(parameters[i]), coupled[i], 1e-5f);
        }
        Assert.Equal(0.01, new AdamW().WeightDecay);
    }
}
