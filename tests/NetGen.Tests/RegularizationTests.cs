using NetGen.CompilerServices;

namespace NetGen.Tests;

/// <summary>L1 and L2 penalties, dropout, early stopping, schedules, clipping, validation, progress, cancellation.</summary>
public class RegularizationTests
{
    [Theory]
    [InlineData(PenaltyKind.L1, false)]
    [InlineData(PenaltyKind.L1, true)]
    [InlineData(PenaltyKind.L2, false)]
    [InlineData(PenaltyKind.L2, true)]
    public void Penalty_and_its_gradient_follow_the_course_formula(PenaltyKind kind, bool includeBiases)
    {
        const float Lambda = 0.7f;
        const int M = 50;
        var regularization = kind == PenaltyKind.L1 ? Regularization.L1(Lambda, includeBiases) : Regularization.L2(Lambda, includeBiases);
        var parameters = new float[M3TanhReLUSoftmaxCe.ParameterCount];
        M3TanhReLUSoftmaxCe.InitializeParameters(parameters, seed: 4);
        var random = new DeterministicRandom(8);
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] += random.NextSingle(-0.1f, 0.1f); // nonzero biases too
        }
        var layers = M3TanhReLUSoftmaxCe.Layers;

        // The formula, written out: lambda/(2m) times the sum over the penalized parameters.
        double Formula(double[] theta)
        {
            double sum = 0;
            foreach (LayerInfo layer in layers)
            {
                var ranges = new List<(int Start, int Count)> { (layer.WeightsOffset, layer.WeightCount) };
                if (includeBiases)
                {
                    ranges.Add((layer.BiasesOffset, layer.OutputSize));
                }
                foreach (var (start, count) in ranges)
                {
                    for (int i = start; i < start + count; i++)
                    {
                        sum += kind == PenaltyKind.L1 ? Math.Abs(theta[i]) : theta[i] * theta[i];
                    }
                }
            }
            return Lambda / (2.0 * M) * sum;
        }

        double[] theta = ScalarReference.ToDouble(parameters);
        Assert.Equal(Formula(theta), regularization.Penalty(parameters, layers, M), 1e-6 * Formula(theta));

        var gradient = new float[parameters.Length];
        regularization.AddGradient(parameters, gradient, layers, M);
        double[] expected = ScalarReference.CentralDifferences(Formula, theta);
        for (int i = 0; i < theta.Length; i++)
        {
            Assert.True(Math.Abs(gradient[i] - expected[i]) <= 1e-6 + 1e-4 * Math.Abs(expected[i]), $"d penalty / d theta[{i}] is {gradient[i]}, finite differences give {expected[i]}");
        }
        bool biasPenalized = gradient[layers[0].BiasesOffset] != 0f;
        Assert.Equal(includeBiases, biasPenalized);
    }

    [Fact]
    public void The_report_separates_the_loss_from_the_penalty()
    {
        var data = TrainingTests.Xor;
        var result = Trainer.Train(new XorNet(), data, new TrainingOptions
        {
            Epochs = 3,
            BatchSize = TrainingOptions.FullBatch,
            LearningRate = 0.5f,
            Regularization = Regularization.L2(0.1f),
        });
        var net = new XorNet();
        Assert.True(result.Final.Penalty > 0f);
        Assert.Equal(result.Final.Loss + result.Final.Penalty, result.Final.Cost);
    }

    [Fact]
    public void Dropout_keeps_a_fraction_1_minus_p_of_units_scaled_by_1_over_1_minus_p()
    {
        const float P = 0.3f;
        var random = new DeterministicRandom(11);
        var mask = new float[100_000];
        Dropout.DrawMask(mask, P, ref random);
        int kept = mask.Count(m => m != 0f);
        // kept ~ Binomial(n, 0.7): standard deviation sqrt(n p (1 - p)) ~ 145; allow 5 of them.
        double expected = mask.Length * (1 - P), sigma = Math.Sqrt(mask.Length * P * (1 - P));
        Assert.InRange(kept, expected - 5 * sigma, expected + 5 * sigma);
        Assert.All(mask.Where(m => m != 0f), m => Assert.Equal(1f / (1f - P), m));
    }

    [Fact]
    public void The_generated_training_pass_drops_the_declared_fraction_of_units()
    {
        // WideDropoutNet: input 1 -> 2000 identity units with dropout 0.3 -> 1 output. With input 1, unit weights 1,
        // biases 0 and output weights 1, the prediction is the sum of the kept, scaled units: (kept) / (1 - p).
        var parameters = new float[WideDropoutNet.ParameterCount];
        LayerInfo hidden = WideDropoutNet.Layers[0], output = WideDropoutNet.Layers[1];
        parameters.AsSpan(hidden.WeightsOffset, hidden.WeightCount).Fill(1f);
        parameters.AsSpan(output.WeightsOffset, output.WeightCount).Fill(1f);
        var random = new DeterministicRandom(5);
        var gradient = new float[WideDropoutNet.ParameterCount];
        // MSE against target 0 gives loss = prediction^2.
        float loss = WideDropoutNet.AccumulateGradient(parameters, [1f], [0f], gradient, ref random);
        double kept = Math.Sqrt(loss) * (1 - 0.3);
        double sigma = Math.Sqrt(2000 * 0.3 * 0.7);
        Assert.InRange(kept, 1400 - 5 * sigma, 1400 + 5 * sigma);
        // A dropped unit gets no gradient through its output weight; a kept one gets 2 * prediction * 1/(1-p).
        var outputWeightGradients = gradient.AsSpan(output.WeightsOffset, output.WeightCount).ToArray();
        int zero = outputWeightGradients.Count(g => g == 0f);
        Assert.Equal(2000 - (int)Math.Round(kept), zero);

        // Without the random generator, nothing is dropped: the prediction is the full sum.
        Array.Clear(gradient);
        Assert.Equal(2000f * 2000f, WideDropoutNet.AccumulateGradient(parameters, [1f], [0f], gradient), 1f);
    }

    [Fact]
    public void The_dropout_gradient_matches_finite_differences_of_the_same_masked_network()
    {
        // Replays the masks: DeterministicRandom is a struct, so a copy draws the same masks the generated code drew.
        var random = new DeterministicRandom(21);
        var parameters = new float[DropoutNet.ParameterCount];
        DropoutNet.InitializeParameters(parameters, seed: 2);
        float[] input = [0.5f, -0.2f, 0.9f, -0.7f, 0.1f, 0.3f], target = [0f, 1f, 0f];
        var replay = random;
        var gradient = new float[DropoutNet.ParameterCount];
        DropoutNet.AccumulateGradient(parameters, input, target, gradient, ref random);

        var mask1 = new float[8];
        var mask2 = new float[30];
        Dropout.DrawMask(mask1, 0.25f, ref replay);
        Dropout.DrawMask(mask2, 0.5f, ref replay);
        Assert.Contains(mask2, m => m == 0f);

        double MaskedLoss(double[] theta)
        {
            var layers = DropoutNet.Layers;
            double[] a = ScalarReference.ToDouble(input);
            double[][] masks = [ScalarReference.ToDouble(mask1), ScalarReference.ToDouble(mask2)];
            for (int l = 0; l < layers.Count; l++)
            {
                double[] single = ScalarReference.Forward([layers[l]], theta, a, out _);
                a = l < masks.Length ? single.Select((v, i) => v * masks[l][i]).ToArray() : single;
            }
            return ScalarReference.Loss(Loss.CrossEntropy, a, ScalarReference.ToDouble(target));
        }

        ScalarReference.AssertGradientMatches(gradient, ScalarReference.CentralDifferences(MaskedLoss, ScalarReference.ToDouble(parameters)), nameof(DropoutNet));
    }

    [Fact]
    public void Predict_is_untouched_by_dropout_and_a_step_with_learning_rate_0()
    {
        var net = new DropoutNet();
        float[] input = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f];
        var before = new float[3];
        net.Predict(input, before);
        var data = DataSet.FromRows([input], [[1f, 0f, 0f]]);
        Trainer.Train(net, data, new TrainingOptions { Epochs = 1, BatchSize = 1, LearningRate = 0f });
        var after = new float[3];
        net.Predict(input, after);
        Assert.Equal(before, after);
        var again = new float[3];
        net.Predict(input, again);
        Assert.Equal(after, again);
    }

    [Fact]
    public void Early_stopping_restores_the_parameters_of_the_best_validation_epoch()
    {
        // Training and validation targets are independent noise: any fit to the training set is overfitting, so
        // the validation loss is best early and then rises.
        var random = new DeterministicRandom(31);
        DataSet Noise(int count)
        {
            var x = new float[count * 4];
            var y = new float[count];
            for (int i = 0; i < x.Length; i++) x[i] = random.NextSingle(-1, 1);
            for (int i = 0; i < y.Length; i++) y[i] = random.NextSingle(-1, 1);
            return new DataSet(x, y, 4, 1);
        }
        DataSet training = Noise(40), validation = Noise(200);
        var net = new OverfittingNet();
        var result = Trainer.Train(net, training, new TrainingOptions
        {
            Epochs = 500,
            BatchSize = 8,
            LearningRate = 0.05f,
            Optimizer = new Adam(),
            ValidationData = validation,
            EarlyStopping = new EarlyStopping { Patience = 20 },
        });
        Assert.True(result.StoppedEarly);
        double bestValidation = result.History.Min(r => r.ValidationLoss!.Value);
        Assert.Equal(bestValidation, result.History[result.BestEpoch - 1].ValidationLoss!.Value);
        Assert.True(result.History.Count == result.BestEpoch + 20, $"stopped at {result.History.Count}, best {result.BestEpoch}");
        Assert.True(result.History[^1].ValidationLoss > bestValidation);
        // The network holds the best epoch's parameters again: its validation loss is the best one.
        Assert.Equal(bestValidation, Trainer.Evaluate(net, validation).Loss, 1e-6);
        Assert.Equal(result.BestEpoch, result.Final.Epoch);
    }

    [Fact]
    public void Schedules_follow_StepLR_and_ExponentialLR()
    {
        var step = LearningRateSchedule.StepDecay(stepSize: 3, gamma: 0.5);
        Assert.Equal([1, 1, 1, 0.5, 0.5, 0.5, 0.25], Enumerable.Range(1, 7).Select(e => step.RateAt(e, 1)));
        var exponential = LearningRateSchedule.ExponentialDecay(0.9);
        Assert.Equal(0.1 * Math.Pow(0.9, 4), exponential.RateAt(5, 0.1), 1e-15);

        var reports = new RecordedProgress();
        Trainer.Train(new XorNet(), TrainingTests.Xor, new TrainingOptions { Epochs = 4, LearningRate = 0.8, Schedule = step, Progress = reports });
        Assert.Equal([0.8, 0.8, 0.8, 0.4], reports.Select(r => r.LearningRate));
    }

    [Fact]
    public void Clipping_limits_the_norm_of_the_step()
    {
        var net = new XorNet();
        float[] before = net.Parameters.ToArray();
        Trainer.Train(net, TrainingTests.Xor, new TrainingOptions { Epochs = 1, BatchSize = TrainingOptions.FullBatch, LearningRate = 1f, MaxGradientNorm = 1e-3f, Shuffle = false });
        double stepNorm = Math.Sqrt(before.Select((p, i) => Math.Pow(net.Parameters[i] - p, 2)).Sum());
        Assert.InRange(stepNorm, 1e-3 * 0.99, 1e-3 * 1.0001);
    }

    [Fact]
    public void A_diverging_learning_rate_stops_with_the_clear_exception_and_finite_parameters()
    {
        var net = new S1IdentityMse();
        var random = new DeterministicRandom(3);
        var x = Enumerable.Range(0, 64 * 37).Select(_ => random.NextSingle(-1, 1)).ToArray();
        var y = Enumerable.Range(0, 64 * 19).Select(_ => random.NextSingle(-1, 1) * 100).ToArray();
        var data = new DataSet(x, y, 37, 19);
        float[] initial = net.Parameters.ToArray();
        var error = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Train(net, data, new TrainingOptions { Epochs = 1000, BatchSize = 8, LearningRate = 1e4, Optimizer = new Sgd(momentum: 0.9) }));
        Assert.Contains("Training diverged", error.Message);
        Assert.Equal(initial, net.Parameters);
    }

    [Fact]
    public void A_validation_split_is_reported_and_held_out()
    {
        var data = TrainingTests.RandomClassification(100, seed: 2);
        var reports = new List<EpochReport>();
        var progress = new SynchronousProgress(reports.Add);
        Trainer.Train(new S2ReLUSoftmaxCe(), data, new TrainingOptions { Epochs = 2, ValidationSplit = 0.2, Progress = progress });
        Assert.Equal(2, reports.Count);
        Assert.All(reports, r => Assert.NotNull(r.ValidationLoss));
        Assert.All(reports, r => Assert.NotNull(r.ValidationAccuracy));
        Assert.All(reports, r => Assert.True(r.Elapsed > TimeSpan.Zero));
        var (first, second) = data.Split(0.2, seed: 0);
        Assert.Equal(20, first.Count);
        Assert.Equal(80, second.Count);
    }

    [Fact]
    public void A_training_step_of_32_samples_allocates_nothing_after_warm_up()
    {
        var data = TrainingTests.RandomClassification(64, seed: 1);
        foreach (Optimizer optimizer in new Optimizer[] { new Sgd(momentum: 0.9), new Adam() })
        {
            var trainer = new Trainer<S2ReLUSoftmaxCe>(new S2ReLUSoftmaxCe(), new TrainingOptions { Optimizer = optimizer, Regularization = Regularization.L2(0.01f), MaxGradientNorm = 1f });
            int[] batch = Enumerable.Range(0, 32).ToArray();
            Assert.Equal(0, Allocations.LeastPerWindow(() => trainer.TrainBatch(data, batch)));
        }
        var dropoutData = new DataSet(new float[32 * 6], DataSet.OneHot(new int[32], 3), 6, 3);
        var dropoutTrainer = new Trainer<DropoutNet>(new DropoutNet(), new TrainingOptions());
        int[] all = Enumerable.Range(0, 32).ToArray();
        Assert.Equal(0, Allocations.LeastPerWindow(() => dropoutTrainer.TrainBatch(dropoutData, all)));
    }

    [Fact]
    public void Standardization_is_fitted_on_training_data_only()
    {
        var training = new DataSet([1, 10, 3, 10, 5, 10], [0, 0, 0], 2, 1);
        var test = new DataSet([7, 4], [0], 2, 1);
        var standardizer = Standardizer.Fit(training);
        Assert.Equal([3f, 10f], standardizer.Mean);
        Assert.Equal(MathF.Sqrt(8f / 3f), standardizer.StandardDeviation[0], 1e-6f);
        Assert.Equal(1f, standardizer.StandardDeviation[1]); // constant feature
        var transformed = standardizer.Transform(test);
        Assert.Equal((7f - 3f) / MathF.Sqrt(8f / 3f), transformed.GetFeatures(0)[0], 1e-6f);
        Assert.Equal(-6f, transformed.GetFeatures(0)[1]);
    }

    [Fact]
    public void One_hot_rows_have_a_single_one_at_the_label()
    {
        Assert.Equal([0f, 1f, 0f, 0f, 0f, 1f], DataSet.OneHot([1, 2], 3));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DataSet.OneHot([3], 3));
        Assert.Contains("[0, 3)", error.Message);
    }

    private sealed class SynchronousProgress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
