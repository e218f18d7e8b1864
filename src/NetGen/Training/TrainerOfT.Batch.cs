using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen;

public sealed partial class Trainer<TNetwork>
{
    /// <summary>
    /// The samples per chunk of a batch: a batch of more is split into chunks whose gradients are summed separately
    /// (on several threads when <see cref="TrainingOptions.Threads"/> allows) and then added up in chunk order.
    /// </summary>
    internal const int ChunkSize = 32;

    /// <summary>The most chunks a batch is split into: larger batches get larger chunks, so the buffers stay bounded.</summary>
    internal const int MaxChunks = 16;

    private BatchChunks? _chunks;

    /// <summary>
    /// Below this many sample-parameter products per chunk (samples times <c>ParameterCount</c>), a batch's chunks are
    /// all computed on the calling thread: waking another thread would cost more than it saves. Only where chunks are
    /// computed changes; the results are the same.
    /// </summary>
    internal long MinParallelWork { get; set; } = 1 << 18;

    /// <summary>How many threads computed chunks of the last batch (1 for a batch of one chunk).</summary>
    internal int LastBatchThreads { get; private set; } = 1;

    /// <summary>The chunk size for a batch of <paramref name="count"/> samples: a function of the count alone.</summary>
    internal static int ChunkSizeFor(int count)
    {
        if (count <= ChunkSize * MaxChunks)
        {
            return ChunkSize;
        }
        int size = (int)(((long)count + MaxChunks - 1) / MaxChunks);
        return (size + 15) & ~15; // rounded up to a multiple of 16 samples
    }

    /// <summary>
    /// Puts the mean of the gradients of the samples at <paramref name="sampleIndices"/> into <see cref="_gradient"/>
    /// and returns the sum of their losses and, in <paramref name="squaredNorm"/>, the squared length of the mean
    /// gradient. The arithmetic depends only on the number of samples, never on the number of threads: a batch of
    /// more than <see cref="ChunkSize"/> samples is cut into a fixed number of chunks, each summed into its own buffer,
    /// and the buffers are added in chunk order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float MeanBatchGradient(DataSet data, ReadOnlySpan<int> sampleIndices, out double squaredNorm)
    {
        if (sampleIndices.Length > ChunkSize)
        {
            return (_chunks ??= new BatchChunks(this)).Mean(data, sampleIndices, out squaredNorm);
        }
        LastBatchThreads = 1;
        if (SparseTable is { } table)
        {
            return SparseMeanBatchGradient(table, data, sampleIndices, out squaredNorm);
        }
        Span<float> gradient = _gradient;
        float lossSum = SumRows(_network.Parameters, data, sampleIndices, gradient, _batchInputs, _batchTargets, ref _random, overwrite: true);
        squaredNorm = ScaleAndMeasure(gradient, 1f / sampleIndices.Length);
        return lossSum;
    }

    /// <summary>
    /// Puts the sum of the gradients of the samples at <paramref name="indices"/> (at least one) into
    /// <paramref name="gradient"/>, overwriting it (or, without <paramref name="overwrite"/>, adding to it: the sparse
    /// path, whose table is cleared row by row), <see cref="GatherRows"/> at a time, and returns the sum of their losses.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SumRows(
        ReadOnlySpan<float> parameters, DataSet data, ReadOnlySpan<int> indices, Span<float> gradient, Span<float> inputs, Span<float> targets, ref DeterministicRandom random, bool overwrite)
    {
        Debug.Assert(!indices.IsEmpty, "an empty group would leave the gradient as it was, not overwrite it");
        float lossSum = 0f;
        for (int start = 0; start < indices.Length; start += GatherRows)
        {
            // The batch path reads contiguous rows: copy this group of (shuffled) samples next to each other.
            ReadOnlySpan<int> group = indices.Slice(start, Math.Min(GatherRows, indices.Length - start));
            ReadOnlySpan<float> groupInputs = Rows(data, group, inputs, targets, out ReadOnlySpan<float> groupTargets);
            // The first group writes the gradient, so it needs no clearing; the others add to it.
            lossSum += start == 0 && overwrite
                ? TNetwork.ComputeBatchGradient(parameters, groupInputs, groupTargets, gradient, ref random)
                : TNetwork.AccumulateBatchGradient(parameters, groupInputs, groupTargets, gradient, ref random);
        }
        return lossSum;
    }

    /// <summary>
    /// The rows of the samples at <paramref name="group"/> (at most <see cref="GatherRows"/>) next to each other: where
    /// they sit in <paramref name="data"/> when the samples are consecutive, else copied into <paramref name="inputs"/>
    /// and <paramref name="targets"/>. Returns the input rows; the target rows go to <paramref name="targetRows"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<float> Rows(DataSet data, ReadOnlySpan<int> group, Span<float> inputs, Span<float> targets, out ReadOnlySpan<float> targetRows)
    {
        if (AreConsecutive(group))
        {
            // Unshuffled samples already sit next to each other in the data set: no copy.
            targetRows = data.GetTargetRows(group[0], group.Length);
            return data.GetFeatureRows(group[0], group.Length);
        }
        for (int row = 0; row < group.Length; row++)
        {
            data.GetFeatures(group[row]).CopyTo(inputs.Slice(row * TNetwork.InputSize));
            data.GetTargets(group[row]).CopyTo(targets.Slice(row * TNetwork.OutputSize));
        }
        targetRows = targets.Slice(0, group.Length * TNetwork.OutputSize);
        return inputs.Slice(0, group.Length * TNetwork.InputSize);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static bool AreConsecutive(ReadOnlySpan<int> indices)
    {
        for (int i = 1; i < indices.Length; i++)
        {
            if (indices[i] != indices[0] + i)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The chunks of a batch larger than <see cref="ChunkSize"/>, with their buffers: one gradient buffer and one
    /// random stream per chunk, and gather rows per participating thread. A step runs in two phases, each spread over
    /// the threads when the work is large enough (see <see cref="MinParallelWork"/> and <see cref="ParallelStepMinimum"/>):
    /// the chunks (each summing its samples' gradients into its buffer), then the ranges of the parameter vector (each
    /// adding the buffers in chunk order, scaling the sum to the mean and measuring the squared length). Both phases are
    /// cut by sizes alone, so the thread count never changes an operation.
    /// </summary>
    private sealed class BatchChunks : ChunkWork
    {
        /// <summary>Floats of space before and after each buffer, so that threads writing neighbouring buffers never share a cache line.</summary>
        private const int Padding = 16;

        /// <summary>
        /// How many ranges the buffers are added in: one per 8,192 parameters, at most 16. A function of the parameter
        /// count alone, so that the squared length is summed the same way whatever the thread count.
        /// </summary>
        private static readonly int RangeCount = Math.Clamp(TNetwork.ParameterCount / 8192, 1, 16);

        /// <summary>The floats per range: whole cache lines, the last range taking what is left.</summary>
        private static readonly int RangeSize = (TNetwork.ParameterCount / RangeCount + 15) & ~15;

        private readonly Trainer<TNetwork> _trainer;
        private readonly float[]?[] _gradients = new float[]?[MaxChunks];
        private readonly DeterministicRandom[] _randoms = new DeterministicRandom[MaxChunks];
        private readonly float[] _losses = new float[MaxChunks];
        private readonly double[] _squaredNorms = new double[RangeCount];
        private readonly TouchedRows?[] _rows = new TouchedRows?[MaxChunks];
        private EmbeddingTable? _table;
        private float[]?[] _inputs = [];
        private float[]?[] _targets = [];
        private int[] _indices = [];
        private DataSet? _data;
        private int _chunkSize;
        private int _chunkCount;
        private int _count;
        private float _scale;
        private bool _addingRanges;
        private double _rowsSquaredNorm;

        public BatchChunks(Trainer<TNetwork> trainer) => _trainer = trainer;

        public float Mean(DataSet data, ReadOnlySpan<int> sampleIndices, out double squaredNorm)
        {
            int count = sampleIndices.Length;
            int chunkSize = ChunkSizeFor(count);
            int chunkCount = (int)(((long)count + chunkSize - 1) / chunkSize);
            if (_indices.Length < count)
            {
                _indices = new int[count];
            }
            sampleIndices.CopyTo(_indices);
            EmbeddingTable? table = _trainer.SparseTable;
            for (int c = 0; c < chunkCount; c++)
            {
                _gradients[c] ??= new float[Padding + TNetwork.ParameterCount + Padding];
                if (table is not null)
                {
                    _rows[c] ??= new TouchedRows(table.Vocabulary);
                }
            }

            int threads = (long)chunkSize * TNetwork.ParameterCount >= _trainer.MinParallelWork
                ? Math.Min(_trainer._options.Threads, chunkCount)
                : 1;
            EnsureRows(threads);

            // Every chunk draws its dropout masks from its own stream, forked from the trainer's generator.
            ref DeterministicRandom random = ref _trainer._random;
            for (int c = 0; c < chunkCount; c++)
            {
                _randoms[c] = random.Fork(c);
            }

            _data = data;
            _table = table;
            _chunkSize = chunkSize;
            _chunkCount = chunkCount;
            _count = count;
            _scale = 1f / count;
            try
            {
                _addingRanges = false;
                _trainer.LastBatchThreads = Run(chunkCount, threads);
                _addingRanges = true;
                int rangeThreads = TNetwork.ParameterCount >= ParallelStepMinimum ? _trainer._options.Threads : 1;
                Run(RangeCount, rangeThreads);
                if (table is not null)
                {
                    // The rows: those of the last batch cleared, this batch's listed in chunk order, then added and scaled.
                    TouchedRows touched = _trainer._touched ??= new TouchedRows(table.Vocabulary);
                    table.ClearRows(_trainer._gradient, touched);
                    for (int c = 0; c < chunkCount; c++)
                    {
                        touched.AddAll(_rows[c]!);
                    }
                    _rowsSquaredNorm = AddAndScaleRows(table, _trainer._gradient, _gradients.AsSpan(0, chunkCount), Padding, touched, _scale);
                }
            }
            finally
            {
                _data = null;
            }

            if (!_randoms[0].SameState(random.Fork(0)))
            {
                random.NextUInt32(); // the network drew masks: move on, so that the next batch's streams differ
            }
            float lossSum = 0f;
            for (int c = 0; c < chunkCount; c++)
            {
                lossSum += _losses[c];
            }
            squaredNorm = table is null ? 0 : _rowsSquaredNorm;
            foreach (double rangeNorm in _squaredNorms)
            {
                squaredNorm += rangeNorm;
            }
            return lossSum;
        }

        private void EnsureRows(int participants)
        {
            if (_inputs.Length < participants)
            {
                Array.Resize(ref _inputs, participants);
                Array.Resize(ref _targets, participants);
            }
            for (int p = 0; p < participants; p++)
            {
                _inputs[p] ??= new float[Padding + GatherRows * TNetwork.InputSize + Padding];
                _targets[p] ??= new float[Padding + GatherRows * TNetwork.OutputSize + Padding];
            }
        }

        protected override void RunChunk(int chunk, int participant)
        {
            if (_addingRanges)
            {
                int start = chunk * RangeSize;
                int length = chunk == RangeCount - 1 ? TNetwork.ParameterCount - start : RangeSize;
                _squaredNorms[chunk] = _table is null
                    ? AddAndScale(_trainer._gradient.AsSpan(start, length), _gradients.AsSpan(0, _chunkCount), Padding + start, _scale)
                    : AddAndScaleOutside(_table, start, length);
                return;
            }
            int first = chunk * _chunkSize;
            ReadOnlySpan<int> indices = _indices.AsSpan(first, Math.Min(_chunkSize, _count - first));
            Span<float> gradient = _gradients[chunk].AsSpan(Padding, TNetwork.ParameterCount);
            if (_table is not null)
            {
                // This buffer's rows of the batch it last served are cleared, this batch's listed; the table is never cleared whole.
                TouchedRows rows = _rows[chunk]!;
                _table.ClearRows(gradient, rows);
                _table.Collect(_data!, indices, rows);
                _table.ClearOutside(gradient);
            }
            DeterministicRandom random = _randoms[chunk];
            _losses[chunk] = SumRows(_trainer._network.Parameters, _data!, indices, gradient, _inputs[participant].AsSpan(Padding, GatherRows * TNetwork.InputSize), _targets[participant].AsSpan(Padding, GatherRows * TNetwork.OutputSize), ref random, overwrite: _table is null);
            _randoms[chunk] = random;
        }

        /// <summary>The part of range [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) outside the table, as <see cref="AddAndScale"/> adds a range.</summary>
        private double AddAndScaleOutside(EmbeddingTable table, int start, int length)
        {
            int end = start + length;
            double squaredNorm = 0;
            int beforeTable = Math.Min(end, table.Offset);
            if (beforeTable > start)
            {
                squaredNorm += AddAndScale(_trainer._gradient.AsSpan(start, beforeTable - start), _gradients.AsSpan(0, _chunkCount), Padding + start, _scale);
            }
            int afterTable = Math.Max(start, table.End);
            if (end > afterTable)
            {
                squaredNorm += AddAndScale(_trainer._gradient.AsSpan(afterTable, end - afterTable), _gradients.AsSpan(0, _chunkCount), Padding + afterTable, _scale);
            }
            return squaredNorm;
        }

        /// <summary>
        /// mean[i] = (buffer 0[i] + buffer 1[i] + ...) * scale, added in that order for every element, with the buffers
        /// read from <paramref name="offset"/>; returns the sum of the squares of the means. The buffers need no clearing:
        /// each chunk overwrites its buffer.
        /// </summary>
        private static double AddAndScale(Span<float> mean, ReadOnlySpan<float[]?> buffers, int offset, float scale)
        {
            ref float result = ref MemoryMarshal.GetReference(mean);
            int n = mean.Length;
            var factor = new Vector<float>(scale);
            var squares = Vector<float>.Zero;
            int i = 0;
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> sum = Vector.LoadUnsafe(ref buffers[0]![offset + i]);
                for (int b = 1; b < buffers.Length; b++)
                {
                    sum += Vector.LoadUnsafe(ref buffers[b]![offset + i]);
                }
                sum *= factor;
                sum.StoreUnsafe(ref result, (nuint)i);
                squares += sum * sum;
            }
            double squaredSum = Vector.Sum(squares);
            for (; i < n; i++)
            {
                float sum = buffers[0]![offset + i];
                for (int b = 1; b < buffers.Length; b++)
                {
                    sum += buffers[b]![offset + i];
                }
                sum *= scale;
                mean[i] = sum;
                squaredSum += sum * sum;
            }
            return squaredSum;
        }
    }

    /// <summary>Parameter vectors at least this long have the optimizer's step split across threads.</summary>
    internal const int ParallelStepMinimum = 32 * 1024;

    private OptimizerRanges? _optimizerRanges;

    /// <summary>
    /// The optimizer's step. With <see cref="TrainingOptions.Threads"/> above 1, a large network and one of the
    /// built-in optimizers (each parameter's update reads only its own gradient and state), the vector is updated in
    /// ranges on several threads: the same arithmetic element by element, so the same result whatever the split.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void StepOptimizer(Span<float> gradient)
    {
        float[] parameters = _network.Parameters;
        if (SparseTable is { } table && _optimizer.SkipsUntouchedRows)
        {
            // Proportional to the batch's tokens in the table; the blocks outside it are small beside it, so one thread does.
            _optimizer.StepTouchedRows(parameters, gradient, LearningRate, table, _touched!.Rows);
            return;
        }
        if (_singleThreadStep)
        {
            _optimizer.Step(parameters, gradient, LearningRate);
            return;
        }
        _optimizer.BeginStep(parameters, gradient);
        var ranges = _optimizerRanges ??= new OptimizerRanges(this);
        ranges.Gradient = _gradient;
        ranges.Run(2 * _options.Threads, _options.Threads);
    }

    /// <summary>The optimizer's update cut into equal ranges (whole cache lines), one chunk each.</summary>
    private sealed class OptimizerRanges(Trainer<TNetwork> trainer) : ChunkWork
    {
        public float[] Gradient { get; set; } = [];

        protected override void RunChunk(int chunk, int participant)
        {
            float[] parameters = trainer._network.Parameters;
            int chunks = 2 * trainer._options.Threads;
            int size = (parameters.Length / chunks + 15) & ~15;
            int start = Math.Min(chunk * size, parameters.Length);
            int length = chunk == chunks - 1 ? parameters.Length - start : Math.Min(size, parameters.Length - start);
            trainer._optimizer.UpdateRange(parameters.AsSpan(start, length), Gradient.AsSpan(start, length), trainer.LearningRate, start);
        }
    }
}
