namespace NetGen.Tests;

/// <summary>
/// Divergence that never reaches NaN: the trainer stops when the loss and the parameters have both grown a thousandfold
/// from where training started, and gives back the parameters of the last epoch that passed. Both sides are tested:
/// the runs of issue 15 must stop, and runs where only one of the two grows that much must not.
/// </summary>
public class DivergenceTests
{
    private static readonly string DigitsPath = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");

    private static DataSet DigitsTraining()
    {
        var (all, _) = CsvData.LoadClassification(DigitsPath, classCount: 10, featureScale: 1f / 16f);
        return all.Split(0.8, seed: 42).First;
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    public void A_learning_rate_of_a_million_stops_with_TrainingDivergedException_and_gives_back_the_starting_parameters(string optimizer)
    {
        // Issue 15: with Adam the parameters reached 2e7 and training "succeeded"; with SGD the last finite step held 6.7e23.
        DataSet training = DigitsTraining();
        var net = new DigitsTestNet();
        float[] initial = net.Parameters.ToArray();
        var options = new TrainingOptions
        {
            Epochs = 20,
            LearningRate = 1e6,
            Optimizer = optimizer == "adam" ? new Adam() : new Sgd(),
            Seed = 1,
        };
        var error = Assert.Throws<TrainingDivergedException>(() => Trainer.Train(net, training, options));
        Assert.Equal(1, error.Epoch);
        Assert.StartsWith("Training diverged", error.Message);
        Assert.Contains("training started from", error.Message);
        Assert.Equal(initial, net.Parameters);
    }

    [Fact]
    public void Divergence_after_sound_epochs_gives_back_the_last_sound_epoch()
    {
        // Two epochs at a good rate, then a schedule that jumps to a million.
        DataSet training = DigitsTraining();
        var net = new DigitsTestNet();
        var afterEpoch = new List<float[]>();
        var options = new TrainingOptions
        {
            Epochs = 10,
            LearningRate = 1e-3,
            Optimizer = new Adam(),
            Schedule = new JumpAt(3, 1e6),
            Progress = new RecordedProgress(_ => afterEpoch.Add(net.Parameters.ToArray())),
        };
        var error = Assert.Throws<TrainingDivergedException>(() => Trainer.Train(net, training, options));
        Assert.Equal(3, error.Epoch);
        Assert.Contains("end of epoch 2", error.Message);
        Assert.Equal(2, afterEpoch.Count);
        Assert.Equal(afterEpoch[1], net.Parameters);
    }

    [Fact]
    public void Parameters_that_grow_a_thousandfold_while_the_loss_falls_are_not_divergence()
    {
        // A linear regression onto targets in the thousands: the weights must grow far beyond their initial scale.
        var random = new DeterministicRandom(7);
        const int count = 256;
        var x = new float[count * S1IdentityMse.InputSize];
        var y = new float[count * S1IdentityMse.OutputSize];
        for (int s = 0; s < count; s++)
        {
            for (int i = 0; i < S1IdentityMse.InputSize; i++)
            {
                x[s * S1IdentityMse.InputSize + i] = random.NextSingle(-1, 1);
            }
            for (int k = 0; k < S1IdentityMse.OutputSize; k++)
            {
                y[s * S1IdentityMse.OutputSize + k] = 20_000f * x[s * S1IdentityMse.InputSize + k];
            }
        }
        var data = new DataSet(x, y, S1IdentityMse.InputSize, S1IdentityMse.OutputSize);
        var net = new S1IdentityMse();
        double initialRms = Rms(net.Parameters);
        float initialLoss = Trainer.Evaluate(net, data).Loss;
        TrainingResult result = Trainer.Train(net, data, new TrainingOptions { Epochs = 60, BatchSize = 16, LearningRate = 0.1, Seed = 3 });
        Assert.True(Rms(net.Parameters) > 1000 * initialRms, $"the parameters grew from {initialRms} to {Rms(net.Parameters)} only");
        Assert.True(result.Loss < initialLoss / 100, $"loss {initialLoss} -> {result.Loss}");
    }

    [Fact]
    public void A_loss_that_grows_a_thousandfold_while_the_parameters_stay_put_is_not_divergence_until_they_run_away_too()
    {
        // A network that starts almost perfect (its targets come from itself with every parameter nudged by 1e-4), trained
        // on at a rate just past the stable one: the tiny error grows by half each step, so the loss soon stands a
        // thousand times above where it started, while the parameters move by no more than the error does.
        var random = new DeterministicRandom(11);
        const int count = 256;
        var net = new S1IdentityMse();
        var teacher = new S1IdentityMse();
        for (int i = 0; i < teacher.Parameters.Length; i++)
        {
            teacher.Parameters[i] = net.Parameters[i] + random.NextSingle(-1e-4f, 1e-4f);
        }
        var x = new float[count * S1IdentityMse.InputSize];
        var y = new float[count * S1IdentityMse.OutputSize];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextSingle(-1, 1);
        }
        for (int s = 0; s < count; s++)
        {
            teacher.Predict(x.AsSpan(s * S1IdentityMse.InputSize, S1IdentityMse.InputSize), y.AsSpan(s * S1IdentityMse.OutputSize, S1IdentityMse.OutputSize));
        }
        var data = new DataSet(x, y, S1IdentityMse.InputSize, S1IdentityMse.OutputSize);
        float startLoss = Trainer.Evaluate(net, data).Loss;
        double startRms = Rms(net.Parameters);
        var rms = new List<double>();
        var reports = new RecordedProgress(_ => rms.Add(Rms(net.Parameters)));
        var error = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Train(net, data, new TrainingOptions { Epochs = 30, BatchSize = TrainingOptions.FullBatch, LearningRate = 70, Progress = reports }));

        // Epochs went on while only the loss had grown a thousandfold...
        int lossGrown = reports.FindIndex(r => r.Loss > 1000 * startLoss);
        Assert.True(lossGrown >= 0, $"the loss went from {startLoss} to {reports.Max(r => r.Loss)} only");
        Assert.True(rms[lossGrown] < 1.01 * startRms, $"the parameters' root mean square went from {startRms} to {rms[lossGrown]}");
        Assert.True(reports.Count >= lossGrown + 3, $"training stopped {reports.Count - lossGrown} epochs after the loss had grown");
        // ...and stopped once the parameters had run away too.
        Assert.Equal(reports.Count + 1, error.Epoch);
        Assert.Contains($"end of epoch {reports.Count}", error.Message);
    }

    [Theory]
    [InlineData(TrainingOptions.FullBatch)] // the start loss taken from the first batch, which holds every sample
    [InlineData(7)]                         // the start loss evaluated apart
    public void A_fused_full_batch_training_measures_the_run_away_from_the_same_start_loss(int batchSize)
    {
        // A linear regression small enough for the lane form, stepped far past the stable rate: the loss and the
        // weights grow geometrically until both stand a thousand times above the start.
        Assert.True(LanesLinearRegression.FusesBatchSgdStep);
        var random = new DeterministicRandom(5);
        const int count = 32;
        var x = new float[count * LanesLinearRegression.InputSize];
        var y = new float[count];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextSingle(-1, 1);
        }
        for (int s = 0; s < count; s++)
        {
            y[s] = x[s * LanesLinearRegression.InputSize] - 0.5f * x[s * LanesLinearRegression.InputSize + 3];
        }
        var data = new DataSet(x, y, LanesLinearRegression.InputSize, 1);
        var net = new LanesLinearRegression();
        float[] initial = net.Parameters.ToArray();
        double startLoss = Trainer.Evaluate(net, data).Loss;

        var error = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Train(net, data, new TrainingOptions { Epochs = 200, BatchSize = batchSize, LearningRate = 3 }));

        Assert.Contains($"the mean loss grew from {startLoss.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)} to", error.Message);
        if (error.Epoch == 1 && error.Batch == 1)
        {
            Assert.Equal(initial, net.Parameters);
        }
    }

    [Fact]
    public void TrainBatch_outside_an_epoch_names_no_epoch_or_batch()
    {
        var data = DataSet.FromRows([[float.NaN, 0f]], [[1f]]);
        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer<XorNet>(new XorNet(), new TrainingOptions()).TrainBatch(data, [0]));
        Assert.Null(error.Epoch);
        Assert.Null(error.Batch);
        Assert.DoesNotContain("epoch 0", error.Message);
        Assert.Contains("the batch", error.Message);
    }

    [Fact]
    public void The_exception_has_the_standard_constructors()
    {
        var inner = new InvalidOperationException("inner");
        Assert.Equal("Training diverged.", new TrainingDivergedException().Message);
        Assert.Equal("message", new TrainingDivergedException("message").Message);
        Assert.Same(inner, new TrainingDivergedException("message", inner).InnerException);
        Assert.True(float.IsNaN(new TrainingDivergedException("message").Loss));
        var located = new TrainingDivergedException("message", epoch: 2, batch: 5, loss: 3f);
        Assert.Equal((2, 5, 3f), (located.Epoch, located.Batch, located.Loss));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingDivergedException("message", epoch: 0, batch: 0, loss: 1f));
    }

    private static double Rms(float[] values) => Math.Sqrt(values.Sum(v => (double)v * v) / values.Length);

    /// <summary>The initial rate until <paramref name="epoch"/>, then <paramref name="rate"/>.</summary>
    private sealed class JumpAt(int epoch, double rate) : LearningRateSchedule
    {
        public override double RateAt(int epochNumber, double initialRate) => epochNumber < epoch ? initialRate : rate;
    }
}
