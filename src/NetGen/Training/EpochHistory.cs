using System.Collections;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// The reports of a training's epochs, stored by columns: each epoch's loss (4 bytes) and time (8 bytes) in arrays
/// allocated once for the planned epochs, and the other figures (accuracy, penalty, validation, learning rate) as runs,
/// one entry for each stretch of epochs over which they do not change. A training that reports nothing else, such as
/// full-batch gradient descent at a fixed rate, keeps 12 bytes per epoch instead of an <see cref="EpochReport"/>'s 56,
/// and its 10,000 epochs stay out of the large-object heap. Read back, every report is bitwise the one added.
/// </summary>
internal sealed class EpochHistory : IReadOnlyList<EpochReport>
{
    private float[] _losses;
    private long[] _elapsedTicks;
    // An array rather than a List<Run>: a list of a new struct type costs a first training the JIT time of its methods.
    private Run[] _runs = new Run[1];
    private int _runCount;
    private int _count;

    /// <summary>The figures of a report other than its epoch, loss and time.</summary>
    private readonly record struct Others(float? Accuracy, float Penalty, float? ValidationLoss, float? ValidationAccuracy, double LearningRate)
    {
        public static Others Of(in EpochReport report)
            => new(report.Accuracy, report.Penalty, report.ValidationLoss, report.ValidationAccuracy, report.LearningRate);

        /// <summary>Bit for bit, so that 0 and -0 or two NaNs of different payloads stay what they were.</summary>
        public bool SameBits(in Others other)
            => SameBits(Accuracy, other.Accuracy) && SameBits(Penalty, other.Penalty)
               && SameBits(ValidationLoss, other.ValidationLoss) && SameBits(ValidationAccuracy, other.ValidationAccuracy)
               && BitConverter.DoubleToInt64Bits(LearningRate) == BitConverter.DoubleToInt64Bits(other.LearningRate);

        private static bool SameBits(float? a, float? b)
            => a.HasValue == b.HasValue && BitConverter.SingleToInt32Bits(a.GetValueOrDefault()) == BitConverter.SingleToInt32Bits(b.GetValueOrDefault());

        private static bool SameBits(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b);
    }

    /// <summary>The other figures of the epochs from index <see cref="Start"/> on, up to the next run.</summary>
    private readonly record struct Run(int Start, Others Others);

    /// <summary>An empty history with room for <paramref name="capacity"/> epochs.</summary>
    public EpochHistory(int capacity)
    {
        _losses = new float[capacity];
        _elapsedTicks = new long[capacity];
    }

    public int Count => _count;

    /// <summary>
    /// Appends the report of the next epoch, whose number must be <see cref="Count"/> + 1. With
    /// <paramref name="othersAsBefore"/> the caller vouches that the figures other than the loss and the time are bitwise
    /// those of the epoch before, which then need no comparing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(in EpochReport report, bool othersAsBefore = false)
    {
        if (report.Epoch != _count + 1)
        {
            throw new ArgumentException($"The history holds epochs 1 to {_count}; the next is {_count + 1}, not {report.Epoch}.", nameof(report));
        }
        if (_count == _losses.Length)
        {
            int capacity = Math.Max(4, 2 * _count);
            Array.Resize(ref _losses, capacity);
            Array.Resize(ref _elapsedTicks, capacity);
        }
        if (!othersAsBefore || _runCount == 0)
        {
            AddRunIfChanged(report);
        }
        _losses[_count] = report.Loss;
        _elapsedTicks[_count] = report.Elapsed.Ticks;
        _count++;
    }

    private void AddRunIfChanged(in EpochReport report)
    {
        var others = Others.Of(report);
        if (_runCount == 0 || !_runs[_runCount - 1].Others.SameBits(others))
        {
            if (_runCount == _runs.Length)
            {
                // Once the figures change, room for a run per planned epoch left: no array grows again while
                // training, as a validation loss that changes every epoch would otherwise make it do.
                Array.Resize(ref _runs, _runCount + Math.Max(_losses.Length - _count, _runCount));
            }
            _runs[_runCount++] = new Run(_count, others);
        }
    }

    /// <summary>Replaces the last epoch's time (the trainer reads the clock again at the end of training).</summary>
    public void SetLastElapsed(TimeSpan elapsed)
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("The history is empty.");
        }
        _elapsedTicks[_count - 1] = elapsed.Ticks;
    }

    public EpochReport this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The history holds {_count} epochs.");
            }
            Others others = RunAt(index).Others;
            return new EpochReport(index + 1, _losses[index], others.Accuracy)
            {
                Penalty = others.Penalty,
                ValidationLoss = others.ValidationLoss,
                ValidationAccuracy = others.ValidationAccuracy,
                LearningRate = others.LearningRate,
                Elapsed = new TimeSpan(_elapsedTicks[index]),
            };
        }
    }

    /// <summary>The run that holds epoch index <paramref name="index"/>: the last run starting at or before it.</summary>
    private Run RunAt(int index)
    {
        int low = 0, high = _runCount - 1;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (_runs[middle].Start <= index)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }
        return _runs[low];
    }

    public IEnumerator<EpochReport> GetEnumerator()
    {
        for (int i = 0; i < _count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
