using System.Runtime.CompilerServices;

namespace NetGen.Tests;

/// <summary>
/// What an epoch of <see cref="Trainer{TNetwork}.Train"/> costs beyond its batches: no allocation per epoch (the
/// history's storage is allocated once, and not at all without <see cref="TrainingOptions.KeepHistory"/>), with or
/// without a progress callback, and the same results as before the epoch loop was trimmed.
/// </summary>
public class EpochCostTests
{
    private static readonly DataSet Xor = new([0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0], featureSize: 2, targetSize: 1);

    private static TrainingOptions XorOptions(int epochs, bool keepHistory, IProgress<EpochReport>? progress = null) => new()
    {
        Epochs = epochs,
        BatchSize = TrainingOptions.FullBatch,
        LearningRate = 0.5,
        Shuffle = false,
        EvaluateTrainingData = false,
        KeepHistory = keepHistory,
        Progress = progress,
    };

    /// <summary>The bytes one whole training allocates in steady state (the least over several windows).</summary>
    private static long BytesPerTraining(TrainingOptions options)
    {
        var network = new XorNet();
        network.InitializeParameters(seed: 42);
        var trainer = new Trainer<XorNet>(network, options);
        return Allocations.LeastPerWindow(() => trainer.Train(Xor), warmUp: 20, windows: 5, stepsPerWindow: 1);
    }

    [Fact]
    public void Without_history_or_callback_an_epoch_allocates_nothing()
    {
        long few = BytesPerTraining(XorOptions(epochs: 10, keepHistory: false));
        long many = BytesPerTraining(XorOptions(epochs: 410, keepHistory: false));
        Assert.Equal(few, many);
    }

    [Fact]
    public void With_a_callback_an_epoch_allocates_nothing_either()
    {
        // EpochReport is a struct: handing it to the callback copies it, it allocates nothing.
        var progress = new CountingProgress();
        long few = BytesPerTraining(XorOptions(epochs: 10, keepHistory: false, progress));
        long many = BytesPerTraining(XorOptions(epochs: 410, keepHistory: false, progress));
        Assert.Equal(few, many);
        Assert.True(progress.Count > 410, $"the callback heard {progress.Count} reports");
    }

    [Fact]
    public void With_history_the_only_bytes_per_epoch_are_its_loss_and_time_allocated_once()
    {
        long few = BytesPerTraining(XorOptions(epochs: 10, keepHistory: true));
        long many = BytesPerTraining(XorOptions(epochs: 410, keepHistory: true));
        // A float and a TimeSpan's ticks per epoch; the other figures of these reports never change.
        Assert.Equal(400L * (sizeof(float) + sizeof(long)), many - few);
    }

    [Fact]
    public void With_figures_that_change_every_epoch_the_history_still_allocates_once()
    {
        // Validation figures change every epoch, so every epoch is a run of its own. Storage allocated once for the
        // planned epochs grows linearly with them; an array doubling while training would not (16, 256, 512 runs).
        TrainingOptions Validated(int epochs) => new()
        {
            Epochs = epochs,
            BatchSize = TrainingOptions.FullBatch,
            LearningRate = 0.5,
            Shuffle = false,
            EvaluateTrainingData = false,
            ValidationData = Xor,
        };
        long few = BytesPerTraining(Validated(10));
        long middle = BytesPerTraining(Validated(210));
        long many = BytesPerTraining(Validated(410));
        Assert.Equal(2 * (middle - few), many - few);
    }

    [Fact]
    public void The_history_gives_back_every_report_the_callback_heard_bit_for_bit()
    {
        var reports = new List<EpochReport>();
        var network = new XorNet();
        network.InitializeParameters(seed: 42);
        // A schedule and validation data: the learning rate changes every 3 epochs, the validation figures every epoch.
        var result = Trainer.Train(network, Xor, new TrainingOptions
        {
            Epochs = 20,
            BatchSize = TrainingOptions.FullBatch,
            LearningRate = 0.5,
            Shuffle = false,
            Schedule = LearningRateSchedule.StepDecay(3, 0.5),
            ValidationData = Xor,
            Progress = new ListProgress(reports),
        });

        Assert.Equal(20, result.History.Count);
        Assert.Equal(reports.Select(r => r with { Elapsed = default }), result.History.Select(r => r with { Elapsed = default }));
        Assert.Equal(Enumerable.Range(1, 20), result.History.Select(r => r.Epoch));
        Assert.Equal(reports.Select(r => r.LearningRate), Enumerable.Range(0, 20).Select(i => result.History[i].LearningRate));
        Assert.Equal(result.Final, result.History[^1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => result.History[20]);
        Assert.Throws<ArgumentOutOfRangeException>(() => result.History[-1]);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("schedule")]
    [InlineData("penalty")]
    [InlineData("accuracy")]
    [InlineData("validation")]
    public void A_history_kept_without_comparing_the_constant_figures_is_the_one_kept_with_them(string variant)
    {
        // Without a callback the trainer adds each epoch without comparing what cannot change; a callback turns that off.
        // Each option that makes a figure change from epoch to epoch must turn it off as well.
        var data = new DataSet([0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0], 2, 1);
        TrainingOptions Options(IProgress<EpochReport>? progress) => new()
        {
            Epochs = 300, BatchSize = TrainingOptions.FullBatch, LearningRate = 2.0, Shuffle = false, Progress = progress,
            EvaluateTrainingData = variant == "accuracy",
            Schedule = variant == "schedule" ? LearningRateSchedule.StepDecay(5, 0.5) : null,
            Regularization = variant == "penalty" ? Regularization.L2(0.01) : null,
            ValidationData = variant == "validation" ? data : null,
        };
        var quiet = new XorNet();
        XorNet.InitializeParameters(quiet.Parameters, seed: 3);
        var watched = new XorNet();
        quiet.Parameters.CopyTo(watched.Parameters, 0);
        TrainingResult unwatched = Trainer.Train(quiet, data, Options(null));
        TrainingResult seen = Trainer.Train(watched, data, Options(new RecordedProgress()));

        Assert.Equal(300, unwatched.History.Count);
        for (int i = 0; i < 300; i++)
        {
            EpochReport a = unwatched.History[i], b = seen.History[i];
            Assert.Equal(b with { Elapsed = a.Elapsed }, a);
        }
        Assert.Equal(variant == "plain", unwatched.History.Select(r => (r.LearningRate, r.Penalty, r.Accuracy, r.ValidationLoss)).Distinct().Count() == 1);
        Assert.Equal(seen.Final with { Elapsed = unwatched.Final.Elapsed }, unwatched.Final);
        Assert.Equal(unwatched.History[^1], unwatched.Final);
        Assert.Equal((seen.BestEpoch, seen.StoppedEarly, seen.Cancelled), (unwatched.BestEpoch, unwatched.StoppedEarly, unwatched.Cancelled));
        Assert.True(quiet.Parameters.AsSpan().SequenceEqual(watched.Parameters), "the same parameters");
    }

    [Fact]
    public void The_history_keeps_each_epochs_figures_where_they_change_and_their_exact_bits()
    {
        var history = new EpochHistory(capacity: 2);
        EpochReport Report(int epoch, float loss, double rate, float? accuracy, float penalty) => new(epoch, loss, accuracy)
        {
            LearningRate = rate,
            Penalty = penalty,
            Elapsed = TimeSpan.FromTicks(epoch * 7),
        };
        EpochReport[] added =
        [
            Report(1, 0.5f, 0.1, null, 0f),
            Report(2, 0.4f, 0.1, null, 0f),
            Report(3, 0.3f, 0.05, 0.75f, 0f),
            Report(4, float.NaN, 0.05, 0.75f, -0f),
            Report(5, 0.2f, 0.05, 0.75f, 0f),
        ];
        foreach (EpochReport report in added)
        {
            history.Add(report);
        }
        history.SetLastElapsed(TimeSpan.FromSeconds(1));

        Assert.Equal(5, history.Count);
        Assert.Equal(added.Take(4), history.Take(4));
        Assert.Equal(added[4] with { Elapsed = TimeSpan.FromSeconds(1) }, history[4]);
        Assert.True(float.IsNegative(history[3].Penalty), "-0 stays -0");
        Assert.False(float.IsNegative(history[4].Penalty));
        Assert.Null(history[1].Accuracy);
        Assert.Equal(0.75f, history[2].Accuracy);
        Assert.Throws<ArgumentException>(() => history.Add(Report(7, 0f, 0.05, null, 0f)));
    }

    [Fact]
    public void Without_history_the_result_holds_the_final_report_and_the_same_parameters()
    {
        var kept = new XorNet();
        kept.InitializeParameters(seed: 42);
        var keptResult = Trainer.Train(kept, Xor, XorOptions(epochs: 300, keepHistory: true));
        var reports = new List<EpochReport>();
        var trimmed = new XorNet();
        trimmed.InitializeParameters(seed: 42);
        var trimmedResult = Trainer.Train(trimmed, Xor, XorOptions(epochs: 300, keepHistory: false, new ListProgress(reports)));

        Assert.Equal(kept.Parameters, trimmed.Parameters);
        Assert.Equal(300, keptResult.History.Count);
        Assert.Equal([trimmedResult.Final], trimmedResult.History);
        Assert.Equal(keptResult.Final with { Elapsed = default }, trimmedResult.Final with { Elapsed = default });
        Assert.Equal(keptResult.History.Select(r => (r.Epoch, r.Loss, r.LearningRate)), reports.Select(r => (r.Epoch, r.Loss, r.LearningRate)));
    }

    [Fact]
    public void Without_history_early_stopping_still_restores_and_reports_the_best_epoch()
    {
        var data = TrainingTests.RandomClassification(120, seed: 3);
        TrainingOptions Options(bool keepHistory) => new()
        {
            Epochs = 60,
            LearningRate = 0.5,
            ValidationSplit = 0.3,
            EarlyStopping = new EarlyStopping { Patience = 3, RestoreBestParameters = true },
            KeepHistory = keepHistory,
        };
        var kept = new S2ReLUSoftmaxCe();
        var keptResult = Trainer.Train(kept, data, Options(keepHistory: true));
        var trimmed = new S2ReLUSoftmaxCe();
        var trimmedResult = Trainer.Train(trimmed, data, Options(keepHistory: false));

        Assert.True(keptResult.StoppedEarly && keptResult.BestEpoch < keptResult.History.Count, "the case must restore an earlier epoch");
        Assert.Equal(kept.Parameters, trimmed.Parameters);
        Assert.Equal(keptResult.BestEpoch, trimmedResult.BestEpoch);
        Assert.Equal(keptResult.History[keptResult.BestEpoch - 1] with { Elapsed = default }, trimmedResult.Final with { Elapsed = default });
        Assert.Equal([trimmedResult.Final], trimmedResult.History);
    }

    [Fact]
    public void Short_epochs_read_the_clock_every_few_epochs_and_the_last_one_reads_it_again()
    {
        var network = new XorNet();
        network.InitializeParameters(seed: 42);
        // The clock is read at epochs 1, 17, 33, ...: 1600 is not one of them, so the last epoch's time is read after the loop.
        const int Epochs = 1600;
        var trainer = new Trainer<XorNet>(network, XorOptions(Epochs, keepHistory: true));
        trainer.Train(Xor); // warm up, so that the epochs measured are short
        // Whether an epoch is short depends on the machine's load: a training preempted for long stretches reads the
        // clock more often. Of a few trainings, one must show the stride.
        string? failure = null;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var result = trainer.Train(Xor);
            var times = result.History.Select(r => r.Elapsed).ToArray();
            Assert.All(times, t => Assert.True(t > TimeSpan.Zero));
            Assert.Equal(times.Order(), times);
            Assert.Equal(result.Final.Elapsed, times[^1]);
            int readings = times.Distinct().Count();
            failure = times[^1] <= times[^2] ? "the last epoch's time was carried from an earlier epoch, not read at its end"
                : readings >= Epochs / 4 ? $"{readings} distinct times in {Epochs} epochs"
                : null;
            if (failure is null)
            {
                return;
            }
        }
        Assert.Fail(failure);
    }

    [Fact]
    public void A_callback_is_given_the_time_read_at_its_epoch()
    {
        var reports = new List<EpochReport>();
        var network = new XorNet();
        network.InitializeParameters(seed: 42);
        var result = Trainer.Train(network, Xor, XorOptions(epochs: 200, keepHistory: true, new ListProgress(reports)));

        Assert.Equal(result.History, reports);
        Assert.Equal(reports.Select(r => r.Elapsed).Order(), reports.Select(r => r.Elapsed));
        // Read at every epoch, the times differ from one epoch to the next far more often than a stride of readings allows.
        Assert.True(reports.Select(r => r.Elapsed).Distinct().Count() > 200 / EpochClock.Stride * 2);
    }

    private sealed class CountingProgress : IProgress<EpochReport>
    {
        public int Count { get; private set; }

        public void Report(EpochReport value) => Count++;
    }

    private sealed class ListProgress(List<EpochReport> reports) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => reports.Add(value);
    }
}
