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
    public void With_history_the_only_bytes_per_epoch_are_its_reports_allocated_once()
    {
        long few = BytesPerTraining(XorOptions(epochs: 10, keepHistory: true));
        long many = BytesPerTraining(XorOptions(epochs: 410, keepHistory: true));
        Assert.Equal(400L * Unsafe.SizeOf<EpochReport>(), many - few);
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
