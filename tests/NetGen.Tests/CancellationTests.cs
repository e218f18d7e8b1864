namespace NetGen.Tests;

/// <summary>Cancellation ends training the way early stopping does: nothing thrown, what was learned kept and reported.</summary>
public class CancellationTests
{
    [Fact]
    public void Cancelling_between_epochs_returns_the_epochs_run_with_their_parameters()
    {
        DataSet data = TrainingTests.RandomClassification(120, seed: 3, learnable: true);
        var uninterrupted = new S2ReLUSoftmaxCe();
        Trainer.Train(uninterrupted, data, Options(epochs: 3));

        using var cancellation = new CancellationTokenSource();
        var net = new S2ReLUSoftmaxCe();
        var options = Options(epochs: 100, new RecordedProgress(r => { if (r.Epoch == 3) cancellation.Cancel(); }));
        TrainingResult result = Trainer.Train(net, data, options, cancellation.Token);

        Assert.True(result.Cancelled);
        Assert.False(result.StoppedEarly);
        Assert.Equal([1, 2, 3], result.History.Select(r => r.Epoch));
        Assert.Equal(3, result.BestEpoch);
        Assert.Equal(result.History[^1], result.Final);
        Assert.Equal(uninterrupted.Parameters, net.Parameters);
    }

    [Fact]
    public void Cancelling_within_an_epoch_ends_it_after_the_batch_in_progress_and_reports_it()
    {
        DataSet data = TrainingTests.RandomClassification(120, seed: 3, learnable: true);
        using var cancellation = new CancellationTokenSource();
        var optimizer = new CancellingSgd(cancellation, atStep: 2 * 8 + 3); // batches of 16: 8 per epoch, so batch 3 of epoch 3
        var net = new S2ReLUSoftmaxCe();
        var reports = new RecordedProgress();
        TrainingResult result = Trainer.Train(net, data, Options(epochs: 100, reports, optimizer), cancellation.Token);

        Assert.True(result.Cancelled);
        Assert.Equal(2 * 8 + 3, optimizer.StepCount);
        Assert.Equal([1, 2, 3], reports.Select(r => r.Epoch));
        Assert.Equal(reports, result.History);
        // The cut-short epoch's report describes the parameters the network holds.
        Assert.Equal(Trainer.Evaluate(net, data).Loss, result.Final.Loss);
    }

    [Fact]
    public void Cancelling_restores_the_best_epoch_when_early_stopping_asks_for_it()
    {
        // Random labels: the validation loss is best early and worsens as the network learns the training noise.
        DataSet data = TrainingTests.RandomClassification(200, seed: 8);
        using var cancellation = new CancellationTokenSource();
        var net = new S2ReLUSoftmaxCe();
        var afterEpoch = new List<float[]>();
        var options = new TrainingOptions
        {
            Epochs = 100,
            BatchSize = 16,
            LearningRate = 0.5,
            Seed = 2,
            ValidationSplit = 0.3,
            EarlyStopping = new EarlyStopping { Patience = 50 },
            Progress = new RecordedProgress(r =>
            {
                afterEpoch.Add(net.Parameters.ToArray());
                if (r.Epoch == 12)
                {
                    cancellation.Cancel();
                }
            }),
        };
        TrainingResult result = Trainer.Train(net, data, options, cancellation.Token);

        Assert.True(result.Cancelled);
        Assert.Equal(12, result.History.Count);
        Assert.InRange(result.BestEpoch, 1, 11); // the case this test is about: the best epoch is not the last
        Assert.Equal(result.History[result.BestEpoch - 1], result.Final);
        Assert.Equal(afterEpoch[result.BestEpoch - 1], net.Parameters);
    }

    [Fact]
    public void A_token_cancelled_before_training_changes_nothing()
    {
        DataSet data = TrainingTests.RandomClassification(50, seed: 1);
        var net = new S2ReLUSoftmaxCe();
        float[] initial = net.Parameters.ToArray();
        TrainingResult result = Trainer.Train(net, data, Options(epochs: 5), new CancellationToken(canceled: true));

        Assert.True(result.Cancelled);
        Assert.Empty(result.History);
        Assert.Equal(0, result.BestEpoch);
        Assert.Equal(0, result.Final.Epoch);
        Assert.Equal(Trainer.Evaluate(net, data).Loss, result.Final.Loss);
        Assert.Equal(initial, net.Parameters);
    }

    [Fact]
    public void Training_that_runs_to_the_end_is_not_cancelled()
    {
        DataSet data = TrainingTests.RandomClassification(50, seed: 1);
        using var cancellation = new CancellationTokenSource();
        TrainingResult result = Trainer.Train(new S2ReLUSoftmaxCe(), data, Options(epochs: 2), cancellation.Token);
        Assert.False(result.Cancelled);
        Assert.Equal(2, result.History.Count);
    }

    private static TrainingOptions Options(int epochs, IProgress<EpochReport>? progress = null, Optimizer? optimizer = null) => new()
    {
        Epochs = epochs,
        BatchSize = 16,
        LearningRate = 0.1,
        Seed = 5,
        Optimizer = optimizer,
        Progress = progress,
    };

    /// <summary>Plain gradient descent that cancels training after a given step, to cancel in the middle of an epoch.</summary>
    private sealed class CancellingSgd(CancellationTokenSource cancellation, int atStep) : Optimizer
    {
        protected override int StateVectorCount => 0;

        protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient, double learningRate)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] -= (float)learningRate * gradient[i];
            }
            if (StepCount == atStep)
            {
                cancellation.Cancel();
            }
        }
    }
}
