using NetGen;
using WebDigits.Components;
using WebDigits.Networks;

namespace WebDigits.Digits;

/// <summary>
/// The training page's digits run, a batch at a time so that the page can hand the browser back between batches:
/// a fresh <see cref="DigitsNet"/> (seed 1), Adam at 0.001, batches of 32 in an order shuffled every epoch (seed 1).
/// The browser tests run the same class under desktop .NET and compare.
/// </summary>
public sealed class DigitsTraining
{
    /// <summary>The samples per batch.</summary>
    public const int BatchSize = 32;

    private readonly DataSet _training, _test;
    private readonly Trainer<DigitsNet> _trainer;
    private readonly int[] _order;
    private DeterministicRandom _random = new(1);

    /// <summary>Prepares to train a freshly initialized network on <paramref name="training"/>, testing on <paramref name="test"/>.</summary>
    public DigitsTraining(DataSet training, DataSet test)
    {
        _training = training;
        _test = test;
        var network = new DigitsNet();
        network.InitializeParameters(1);
        _trainer = new Trainer<DigitsNet>(network, new TrainingOptions { BatchSize = BatchSize, LearningRate = 1e-3, Optimizer = new Adam() });
        _order = Enumerable.Range(0, training.Count).ToArray();
    }

    /// <summary>The network being trained.</summary>
    public DigitsNet Network => _trainer.Network;

    /// <summary>The epochs finished.</summary>
    public int Epoch { get; private set; }

    /// <summary>The batches in an epoch.</summary>
    public int BatchCount => (_training.Count + BatchSize - 1) / BatchSize;

    /// <summary>One step on batch <paramref name="batch"/> of the current epoch (batch 0 shuffles the order first).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batch"/> is not from 0 to <see cref="BatchCount"/> - 1.</exception>
    public void TrainBatch(int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(batch, BatchCount);
        if (batch == 0)
        {
            _random.Shuffle(_order.AsSpan());
        }
        int start = batch * BatchSize;
        _trainer.TrainBatch(_training, _order.AsSpan(start, Math.Min(BatchSize, _order.Length - start)));
    }

    /// <summary>Ends the epoch: the loss and accuracy over the training digits and the accuracy over the held-out ones.</summary>
    public EpochPoint EndEpoch()
    {
        Epoch++;
        EvaluationResult training = _trainer.Evaluate(_training), test = _trainer.Evaluate(_test);
        return new EpochPoint(Epoch, training.Loss, training.Accuracy ?? 0, test.Accuracy ?? 0);
    }
}
