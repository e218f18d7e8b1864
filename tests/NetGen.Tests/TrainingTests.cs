namespace NetGen.Tests;

/// <summary>Gradient descent and the perceptron rule on the course's logic gates, and the trainer's guarantees.</summary>
public class TrainingTests
{
    private static readonly float[][] GateInputs = [[0, 0], [0, 1], [1, 0], [1, 1]];

    private static DataSet Gate(params float[] outputs) => DataSet.FromRows(GateInputs, outputs.Select(o => new[] { o }).ToArray());

    public static readonly DataSet And = Gate(0, 0, 0, 1);
    public static readonly DataSet Or = Gate(0, 1, 1, 1);
    public static readonly DataSet Xor = Gate(0, 1, 1, 0);

    [Fact]
    public void The_perceptron_rule_learns_AND_OR_and_NOT()
    {
        foreach (DataSet gate in new[] { And, Or })
        {
            var perceptron = new TwoInputPerceptron();
            PerceptronResult result = Perceptron.Train(perceptron, gate, maxEpochs: 100, learningRate: 0.1);
            Assert.True(result.Converged);
            Assert.Equal(1f, result.Accuracy);
            var output = new float[1];
            for (int s = 0; s < gate.Count; s++)
            {
                perceptron.Predict(gate.GetFeatures(s), output);
                Assert.Equal(gate.GetTargets(s)[0], output[0]);
            }
        }

        var not = DataSet.FromRows([[0f], [1f]], [[1f], [0f]]);
        var notPerceptron = new OneInputPerceptron();
        Assert.True(Perceptron.Train(notPerceptron, not, maxEpochs: 100, learningRate: 0.1).Converged);
    }

    [Fact]
    public void The_perceptron_rule_cannot_learn_XOR()
    {
        var perceptron = new TwoInputPerceptron();
        PerceptronResult result = Perceptron.Train(perceptron, Xor, maxEpochs: 1000, learningRate: 0.1);
        Assert.False(result.Converged);
        Assert.Equal(1000, result.Epochs);
        Assert.True(result.BestAccuracy < 1f);
        Assert.True(result.BestAccuracy <= 0.75f, "no line separates XOR, so at most 3 of its 4 rows are ever right");
    }

    [Fact]
    public void The_perceptron_rule_refuses_a_multi_layer_network()
    {
        var error = Assert.Throws<ArgumentException>(() => Perceptron.Train(new XorNet(), Xor, 10));
        Assert.Contains("single dense layer", error.Message);
    }

    [Fact]
    public void A_hidden_layer_learns_XOR_by_full_batch_gradient_descent()
    {
        var net = new XorNet();
        var reports = new RecordedProgress();
        var final = Trainer.Train(net, Xor, new TrainingOptions
        {
            Epochs = 3000,
            BatchSize = TrainingOptions.FullBatch,
            LearningRate = 2,
            Progress = reports,
        });
        Assert.Equal(1f, final.Accuracy);
        Assert.True(final.Loss < 0.01f, $"loss {final.Loss}");
        Assert.Equal(3000, reports.Count);
        Assert.Equal(Enumerable.Range(1, 3000), reports.Select(r => r.Epoch));
        Assert.True(reports[^1].Loss < reports[0].Loss);
    }

    [Fact]
    public void Mini_batch_training_learns_XOR()
    {
        var net = new XorNet();
        var final = Trainer.Train(net, Xor, new TrainingOptions { Epochs = 2000, BatchSize = 2, LearningRate = 1f, Seed = 1 });
        Assert.Equal(1f, final.Accuracy);
    }

    [Fact]
    public void Full_batch_gradient_descent_takes_the_textbook_step()
    {
        // One step of full-batch gradient descent is theta - eta * (1/m) sum_i dL_i/dtheta: compute it by hand.
        var net = new XorNet();
        float[] before = net.Parameters.ToArray();
        var sum = new float[XorNet.ParameterCount];
        for (int s = 0; s < Xor.Count; s++)
        {
            XorNet.AccumulateGradient(before, Xor.GetFeatures(s), Xor.GetTargets(s), sum);
        }
        Trainer.Train(net, Xor, new TrainingOptions { Epochs = 1, BatchSize = TrainingOptions.FullBatch, LearningRate = 0.5f, Shuffle = false });
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i] - 0.5f * (sum[i] / 4), net.Parameters[i], 1e-6f);
        }
    }

    [Fact]
    public void Per_sample_SGD_takes_the_fused_step_and_matches_the_general_path()
    {
        var data = RandomClassification(60, seed: 5, learnable: true);
        float[] Train(float? maxGradientNorm, out long steps)
        {
            var net = new S2ReLUSoftmaxCe();
            var sgd = new Sgd();
            // A norm limit nothing reaches changes no step, but sends every step through the gradient buffer and Sgd.Step.
            Trainer.Train(net, data, new TrainingOptions { Epochs = 3, BatchSize = 1, LearningRate = 0.05f, Seed = 2, Optimizer = sgd, MaxGradientNorm = maxGradientNorm });
            steps = sgd.StepCount;
            return net.Parameters;
        }
        float[] fused = Train(null, out long fusedSteps);
        float[] general = Train(float.MaxValue, out long generalSteps);
        Assert.Equal(3 * 60, fusedSteps);
        Assert.Equal(generalSteps, fusedSteps);
        Assert.False(fused.AsSpan().SequenceEqual(new S2ReLUSoftmaxCe().Parameters), "training changed nothing");
        for (int i = 0; i < fused.Length; i++)
        {
            // The same steps, rounded differently: theta - eta * (delta * x) against theta + (-eta * delta) * x.
            Assert.True(Math.Abs(fused[i] - general[i]) <= 1e-5f * Math.Max(1f, Math.Abs(general[i])),
                $"parameter {i}: {fused[i]} by the fused step, {general[i]} through Sgd.Step");
        }
    }

    [Fact]
    public void Per_sample_SGD_with_dropout_draws_the_same_masks_in_both_paths()
    {
        var data = RandomClassification(40, seed: 6, learnable: true, features: DropoutNet.InputSize, classes: DropoutNet.OutputSize);
        float[] Train(float? maxGradientNorm)
        {
            var net = new DropoutNet();
            Trainer.Train(net, data, new TrainingOptions { Epochs = 2, BatchSize = 1, LearningRate = 0.05f, Seed = 3, MaxGradientNorm = maxGradientNorm });
            return net.Parameters;
        }
        float[] fused = Train(null), general = Train(float.MaxValue);
        for (int i = 0; i < fused.Length; i++)
        {
            Assert.True(Math.Abs(fused[i] - general[i]) <= 1e-5f * Math.Max(1f, Math.Abs(general[i])),
                $"parameter {i}: {fused[i]} by the fused step, {general[i]} through Sgd.Step");
        }
    }

    [Fact]
    public void The_same_seed_gives_bitwise_the_same_parameters()
    {
        float[] Train(int seed)
        {
            var net = new S2ReLUSoftmaxCe();
            Trainer.Train(net, RandomClassification(200, seed: 9), new TrainingOptions { Epochs = 5, BatchSize = 16, LearningRate = 0.05f, Seed = seed });
            return net.Parameters;
        }
        float[] first = Train(1), second = Train(1), other = Train(2);
        Assert.True(first.AsSpan().SequenceEqual(second), "two runs with seed 1 differ");
        Assert.False(first.AsSpan().SequenceEqual(other), "seeds 1 and 2 shuffle alike");
    }

    [Fact]
    public void Training_reduces_the_loss_of_a_learnable_task()
    {
        var data = RandomClassification(300, seed: 4, learnable: true);
        var net = new S2ReLUSoftmaxCe();
        EvaluationResult before = Trainer.Evaluate(net, data);
        var after = Trainer.Train(net, data, new TrainingOptions { Epochs = 30, BatchSize = 16, LearningRate = 0.1f });
        Assert.True(after.Loss < before.Loss * 0.5f, $"loss {before.Loss} -> {after.Loss}");
        Assert.True(after.Accuracy > before.Accuracy, $"accuracy {before.Accuracy} -> {after.Accuracy}");
    }

    [Fact]
    public void A_NaN_input_stops_training_with_the_epoch_and_batch_and_keeps_finite_parameters()
    {
        var inputs = GateInputs.Select(r => r.ToArray()).ToArray();
        inputs[2][1] = float.NaN;
        var data = DataSet.FromRows(inputs, [[0f], [1f], [1f], [0f]]);
        var net = new XorNet();
        var error = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Train(net, data, new TrainingOptions { Epochs = 3, BatchSize = 1, Shuffle = false, LearningRate = 0.1f }));
        Assert.Equal(1, error.Epoch);
        Assert.Equal(3, error.Batch);
        Assert.Contains("epoch 1", error.Message);
        Assert.All(net.Parameters, p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void Data_that_does_not_fit_the_network_is_refused_with_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(new U1SoftmaxCe(), Xor, new TrainingOptions()));
        Assert.Contains("takes 3 features and 3 targets", error.Message);
        Assert.Contains("has 2 features and 1 targets", error.Message);
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train(new XorNet(), Xor, new TrainingOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train(new XorNet(), Xor, new TrainingOptions { LearningRate = float.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train(new XorNet(), Xor, new TrainingOptions { Epochs = -1 }));
    }

    /// <summary>Random inputs in [0, 1); labels random, or (learnable) the index of the largest of the first ten inputs.</summary>
    internal static DataSet RandomClassification(int count, int seed, bool learnable = false, int features = 37, int classes = 10)
    {
        var random = new DeterministicRandom(seed);
        var values = new float[count * features];
        var targets = new float[count * classes];
        for (int s = 0; s < count; s++)
        {
            for (int i = 0; i < features; i++)
            {
                values[s * features + i] = random.NextSingle();
            }
            ReadOnlySpan<float> first = values.AsSpan(s * features, Math.Min(classes, features));
            int label = learnable ? first.IndexOf(first.ToArray().Max()) : random.NextInt32(classes);
            targets[s * classes + label] = 1f;
        }
        return new DataSet(values, targets, features, classes);
    }
}
