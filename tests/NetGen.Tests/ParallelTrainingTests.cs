using NetGen;

namespace NetGen.Tests;

/// <summary>TrainingOptions.Threads: batches computed in chunks on several threads, bitwise independent of the thread count.</summary>
[Collection(ThreadsCollection.Name)]
public class ParallelTrainingTests
{
    internal static DataSet MnistLike(int count, int seed)
    {
        var random = new DeterministicRandom(seed);
        var features = new float[count * 784];
        var labels = new int[count];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = random.NextSingle();
        }
        for (int s = 0; s < count; s++)
        {
            labels[s] = random.NextInt32(10);
        }
        return new DataSet(features, DataSet.OneHot(labels, 10), 784, 10);
    }

    private static float[] Initial<TNetwork>(int seed) where TNetwork : class, INetwork<TNetwork>
    {
        var parameters = new float[TNetwork.ParameterCount];
        TNetwork.InitializeParameters(parameters, seed);
        return parameters;
    }

    /// <summary>Trains a copy of <paramref name="initial"/>; returns the parameters and the most threads a batch used.</summary>
    private static (float[] Parameters, int MostThreads) Train<TNetwork>(
        float[] initial, DataSet data, int batchSize, int threads, int epochs, Optimizer optimizer, long? minParallelWork = null)
        where TNetwork : class, INetwork<TNetwork>, new()
    {
        var net = new TNetwork();
        initial.CopyTo(net.Parameters, 0);
        var trainer = new Trainer<TNetwork>(net, new TrainingOptions
        {
            Epochs = epochs, BatchSize = batchSize, LearningRate = 1e-3f, Optimizer = optimizer, Threads = threads, Seed = 5,
            EvaluateTrainingData = false,
        });
        if (minParallelWork is { } work)
        {
            trainer.MinParallelWork = work;
        }
        int most = 0;
        int[] order = Enumerable.Range(0, data.Count).ToArray();
        var random = new DeterministicRandom(epochs);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order.AsSpan());
            for (int start = 0; start < order.Length; start += batchSize)
            {
                trainer.TrainBatch(data, order.AsSpan(start, Math.Min(batchSize, order.Length - start)));
                most = Math.Max(most, trainer.LastBatchThreads);
            }
        }
        return (net.Parameters, most);
    }

    /// <summary>
    /// Trains with <paramref name="threads"/> threads and checks the parameters bitwise against <paramref name="one"/>.
    /// Whether a pool worker wakes in time to take a chunk is up to the scheduler (on 2 cores, other tests may hold the
    /// other one), so the run is repeated, each time checked, until at least one batch was computed on two threads.
    /// </summary>
    private static void AssertSameOnThreads(float[] one, int threads, Func<(float[] Parameters, int MostThreads)> train)
    {
        const int Attempts = 10;
        for (int attempt = 1; ; attempt++)
        {
            var (parameters, most) = train();
            Assert.True(one.AsSpan().SequenceEqual(parameters), $"Threads = {threads} differs from Threads = 1");
            if (most > 1)
            {
                return;
            }
            Assert.True(attempt < Attempts, $"Threads = {threads}: in {Attempts} runs no batch was computed on more than one thread");
        }
    }

    [Theory]
    [InlineData(64)]
    [InlineData(100)] // chunks of 32, 32, 32 and 4
    [InlineData(TrainingOptions.FullBatch)] // 600 samples: 13 chunks of 48 (the last of 24)
    public void Every_thread_count_gives_bitwise_the_same_parameters(int batchSize)
    {
        var data = MnistLike(600, seed: 1);
        float[] initial = Initial<MnistSizedNet>(3);
        int size = Math.Min(batchSize, data.Count);
        var (one, _) = Train<MnistSizedNet>(initial, data, size, threads: 1, epochs: 3, new Adam());
        Assert.False(one.AsSpan().SequenceEqual(initial), "training changed nothing");
        foreach (int threads in new[] { 2, 3, 4 })
        {
            AssertSameOnThreads(one, threads, () => Train<MnistSizedNet>(initial, data, size, threads, epochs: 3, new Adam()));
        }
    }

    [Fact]
    public void Every_built_in_optimizer_steps_in_ranges_on_threads_with_the_same_result()
    {
        // The network is large enough for the optimizer's step to be split across threads (its own ranges, apart from the chunks).
        Assert.True(MnistSizedNet.ParameterCount >= Trainer<MnistSizedNet>.ParallelStepMinimum);
        var data = MnistLike(128, seed: 4);
        float[] initial = Initial<MnistSizedNet>(5);
        Func<Optimizer>[] optimizers =
        [
            () => new Sgd(momentum: 0.9, nesterov: true, weightDecay: 1e-4),
            () => new Adagrad(learningRateDecay: 0.01, weightDecay: 1e-4),
            () => new RmsProp(momentum: 0.5, weightDecay: 1e-4),
            () => new AdamW(),
        ];
        foreach (Func<Optimizer> create in optimizers)
        {
            var (one, _) = Train<MnistSizedNet>(initial, data, 64, threads: 1, epochs: 2, create());
            var (two, _) = Train<MnistSizedNet>(initial, data, 64, threads: 2, epochs: 2, create());
            var (three, _) = Train<MnistSizedNet>(initial, data, 64, threads: 3, epochs: 2, create());
            string name = create().GetType().Name;
            Assert.False(one.AsSpan().SequenceEqual(initial), $"{name}: training changed nothing");
            Assert.True(one.AsSpan().SequenceEqual(two), $"{name}: Threads = 2 differs from Threads = 1");
            Assert.True(one.AsSpan().SequenceEqual(three), $"{name}: Threads = 3 differs from Threads = 1");
        }
    }

    [Theory]
    [InlineData(50)]
    [InlineData(97)]
    [InlineData(TrainingOptions.FullBatch)] // 600 samples: 13 chunks of 48 (the last of 24)
    public void Dropout_training_gives_bitwise_the_same_parameters_on_every_thread_count(int batchSize)
    {
        var data = MnistLike(600, seed: 6);
        float[] initial = Initial<MnistDropoutNet>(2);
        int size = Math.Min(batchSize, data.Count);
        var (one, _) = Train<MnistDropoutNet>(initial, data, size, threads: 1, epochs: 2, new Adam());
        foreach (int threads in new[] { 2, 3, 4 })
        {
            AssertSameOnThreads(one, threads, () => Train<MnistDropoutNet>(initial, data, size, threads, epochs: 2, new Adam()));
        }
    }

    [Theory]
    [InlineData(50)]
    [InlineData(97)]
    public void A_small_dropout_network_gives_the_same_parameters_on_every_thread_count(int batchSize)
    {
        var random = new DeterministicRandom(6);
        var features = new float[300 * 6];
        var labels = new int[300];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = random.NextSingle();
        }
        for (int s = 0; s < labels.Length; s++)
        {
            labels[s] = random.NextInt32(3);
        }
        var data = new DataSet(features, DataSet.OneHot(labels, 3), 6, 3);
        float[] initial = Initial<DropoutNet>(2);
        var (one, _) = Train<DropoutNet>(initial, data, batchSize, threads: 1, epochs: 4, new Adam(), minParallelWork: 0);
        foreach (int threads in new[] { 2, 3, 4 })
        {
            var (parameters, _) = Train<DropoutNet>(initial, data, batchSize, threads, epochs: 4, new Adam(), minParallelWork: 0);
            Assert.True(one.AsSpan().SequenceEqual(parameters), $"Threads = {threads} differs from Threads = 1");
        }
    }

    [Fact]
    public void Chunks_draw_different_dropout_masks()
    {
        // Copies of one sample: were every chunk to draw the same masks, every chunk would have the same loss, and a
        // batch of 2 chunks the same mean loss as a batch of 3.
        var features = new float[96 * 6];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = (i % 6 + 1) * 0.3f;
        }
        var data = new DataSet(features, DataSet.OneHot(new int[96], 3), 6, 3);
        float[] initial = Initial<DropoutNet>(4);
        float Loss(int count)
        {
            var net = new DropoutNet();
            initial.CopyTo(net.Parameters, 0);
            var trainer = new Trainer<DropoutNet>(net, new TrainingOptions { LearningRate = 0f, Threads = 2 }) { MinParallelWork = 0 };
            return trainer.TrainBatch(data, Enumerable.Range(0, count).ToArray());
        }
        Assert.NotEqual(Loss(64), Loss(96));
        Assert.Equal(Loss(64), Loss(64));
    }

    [Fact]
    public void Forked_streams_differ_from_each_other_and_from_their_parent()
    {
        var parent = new DeterministicRandom(7);
        DeterministicRandom zero = parent.Fork(0), one = parent.Fork(1), again = parent.Fork(0);
        uint[] Draw(ref DeterministicRandom r) => [r.NextUInt32(), r.NextUInt32(), r.NextUInt32()];
        uint[] a = Draw(ref zero), b = Draw(ref one), c = Draw(ref again), p = Draw(ref parent);
        Assert.Equal(a, c);
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, p);
        Assert.NotEqual(b, p);
    }

    [Theory]
    [InlineData(100, true)] // chunks of 32, 32, 32 and 4, gathered in reverse order
    [InlineData(1100, true)] // chunks of 80 rows: each a group of 64 the chunk's buffer takes, then 16 added to it
    [InlineData(1100, false)] // the same, read in place
    public void A_chunked_batch_step_matches_the_per_sample_gradients(int count, bool reversed)
    {
        var data = MnistLike(count, seed: 7);
        float[] initial = Initial<MnistSizedNet>(8);
        int[] batch = Enumerable.Range(0, count).ToArray();
        if (reversed)
        {
            Array.Reverse(batch);
        }
        var expected = new double[MnistSizedNet.ParameterCount];
        var gradient = new float[MnistSizedNet.ParameterCount];
        foreach (int s in batch)
        {
            Array.Clear(gradient);
            MnistSizedNet.AccumulateGradient(initial, data.GetFeatures(s), data.GetTargets(s), gradient);
            for (int i = 0; i < gradient.Length; i++)
            {
                expected[i] += gradient[i] / (double)count;
            }
        }
        double largest = expected.Max(Math.Abs);
        float[]? first = null;
        foreach (int threads in new[] { 1, 2 })
        {
            var net = new MnistSizedNet();
            initial.CopyTo(net.Parameters, 0);
            var trainer = new Trainer<MnistSizedNet>(net, new TrainingOptions { LearningRate = 1f, Threads = threads });
            trainer.TrainBatch(data, batch);
            double worst = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs((initial[i] - net.Parameters[i]) - expected[i]));
            }
            Assert.True(worst <= 1e-5 * largest, $"Threads = {threads}: off by {worst}, largest gradient {largest}");
            first ??= net.Parameters;
            Assert.True(first.AsSpan().SequenceEqual(net.Parameters), $"Threads = {threads} differs from Threads = 1");
        }
    }

    [Fact]
    public void A_clipped_chunked_step_is_as_long_as_the_cap_on_every_thread_count()
    {
        // Clipping scales the mean gradient by cap / |g|: the chunked path's squared length, summed in ranges, must be
        // right (the step comes out cap long) and summed the same way on every thread count (bitwise equal steps).
        var data = MnistLike(100, seed: 11);
        float[] initial = Initial<MnistSizedNet>(12);
        int[] batch = Enumerable.Range(0, 100).ToArray();
        const float Cap = 1e-3f;
        float[]? first = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var net = new MnistSizedNet();
            initial.CopyTo(net.Parameters, 0);
            var trainer = new Trainer<MnistSizedNet>(net, new TrainingOptions { LearningRate = 1f, Threads = threads, MaxGradientNorm = Cap });
            trainer.TrainBatch(data, batch);
            double squaredStep = 0;
            for (int i = 0; i < initial.Length; i++)
            {
                double step = (double)initial[i] - net.Parameters[i];
                squaredStep += step * step;
            }
            // The expected length is Cap |g| / (|g| + 1e-6), which is Cap to 1e-5 for |g| above 0.1. The step is measured
            // as theta0 - theta1 in float: each element is off by up to half an ulp of theta (about 4e-9 for |theta| < 0.08),
            // about 1e-3 of a step element (Cap / sqrt(101,770) = 3e-6), independently, so the length is off by far less.
            Assert.InRange(Math.Sqrt(squaredStep), Cap * (1 - 1e-3), Cap * (1 + 1e-3));
            first ??= net.Parameters;
            Assert.True(first.AsSpan().SequenceEqual(net.Parameters), $"Threads = {threads} differs from Threads = 1");
        }
    }

    [Fact]
    public void Regularized_and_clipped_training_gives_bitwise_the_same_parameters_on_every_thread_count()
    {
        var data = MnistLike(200, seed: 13);
        float[] initial = Initial<MnistSizedNet>(14);
        float[]? first = null;
        foreach (int threads in new[] { 1, 2, 4 })
        {
            var net = new MnistSizedNet();
            initial.CopyTo(net.Parameters, 0);
            Trainer.Train(net, data, new TrainingOptions
            {
                Epochs = 2, BatchSize = 100, LearningRate = 1e-3f, Optimizer = new Adam(), Threads = threads, Seed = 3,
                Regularization = Regularization.L2(0.01f), MaxGradientNorm = 0.5f, EvaluateTrainingData = false,
            });
            Assert.False(net.Parameters.AsSpan().SequenceEqual(initial), "training changed nothing");
            first ??= net.Parameters;
            Assert.True(first.AsSpan().SequenceEqual(net.Parameters), $"Threads = {threads} differs from Threads = 1");
        }
    }

    [Fact]
    public void An_exception_in_a_chunk_surfaces_and_leaves_the_parameters_and_later_steps_alone()
    {
        var data = MnistLike(100, seed: 9);
        float[] initial = Initial<MnistSizedNet>(1);
        int[] good = Enumerable.Range(0, 100).ToArray();
        int[] bad = (int[])good.Clone();
        bad[90] = data.Count; // in the last chunk, which a worker computes as likely as not

        var net = new MnistSizedNet();
        initial.CopyTo(net.Parameters, 0);
        var trainer = new Trainer<MnistSizedNet>(net, new TrainingOptions { Threads = 2, Optimizer = new Adam() });
        for (int i = 0; i < 5; i++)
        {
            Assert.ThrowsAny<ArgumentOutOfRangeException>(() => trainer.TrainBatch(data, bad));
            Assert.True(net.Parameters.AsSpan().SequenceEqual(initial), "a failed step changed the parameters");
            Assert.Equal(0, trainer.Optimizer.StepCount);
        }
        bad[90] = 90;
        bad[5] = -1; // in chunk 0, on the calling thread
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => trainer.TrainBatch(data, bad));

        // The half-summed chunk buffers of the failed steps must not leak into the next one.
        trainer.TrainBatch(data, good);
        var fresh = new MnistSizedNet();
        initial.CopyTo(fresh.Parameters, 0);
        new Trainer<MnistSizedNet>(fresh, new TrainingOptions { Threads = 1, Optimizer = new Adam() }).TrainBatch(data, good);
        Assert.True(fresh.Parameters.AsSpan().SequenceEqual(net.Parameters), "a step after failed ones differs from a fresh one");
    }

    [Fact]
    public void A_non_finite_sample_in_a_worker_chunk_is_divergence_and_leaves_the_parameters()
    {
        var data = MnistLike(100, seed: 10);
        var features = new float[100 * 784];
        for (int s = 0; s < 100; s++)
        {
            data.GetFeatures(s).CopyTo(features.AsSpan(s * 784));
        }
        features[80 * 784 + 3] = float.NaN;
        var targets = new float[100 * 10];
        for (int s = 0; s < 100; s++)
        {
            data.GetTargets(s).CopyTo(targets.AsSpan(s * 10));
        }
        var poisoned = new DataSet(features, targets, 784, 10);
        var net = new MnistSizedNet();
        float[] initial = (float[])net.Parameters.Clone();
        var trainer = new Trainer<MnistSizedNet>(net, new TrainingOptions { Threads = 2, Optimizer = new Adam() });
        Assert.Throws<TrainingDivergedException>(() => trainer.TrainBatch(poisoned, Enumerable.Range(0, 100).ToArray()));
        Assert.True(net.Parameters.AsSpan().SequenceEqual(initial));
        var fit = new Trainer<MnistSizedNet>(net, new TrainingOptions { Threads = 2, BatchSize = 50, Shuffle = false, Epochs = 1 });
        var diverged = Assert.Throws<TrainingDivergedException>(() => fit.Train(poisoned));
        Assert.Equal(2, diverged.Batch);
    }

    [Fact]
    public void Threads_must_be_at_least_one()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer<XorNet>(new XorNet(), new TrainingOptions { Threads = 0 }));
        Assert.Equal("Threads", error.ParamName);
        Assert.StartsWith("Threads must be at least 1.", error.Message);
    }

    [Fact]
    public void Chunk_sizes_depend_on_the_batch_size_alone_and_stay_within_the_cap()
    {
        foreach (int count in new[] { 33, 64, 100, 512, 513, 1000, 60_000, int.MaxValue / 2 })
        {
            int size = Trainer<XorNet>.ChunkSizeFor(count);
            long chunks = ((long)count + size - 1) / size;
            Assert.InRange(chunks, 2, Trainer<XorNet>.MaxChunks);
            Assert.True(size == Trainer<XorNet>.ChunkSize || size % 16 == 0, $"{count}: chunk size {size}");
        }
    }
}

/// <summary>Zero bytes per step, on the calling thread and on the workers.</summary>
[Collection(ThreadsCollection.Name)]
public class ParallelTrainingAllocationTests
{
    [Fact]
    public void A_two_thread_step_allocates_nothing_after_warm_up()
    {
        var data = ParallelTrainingTests.MnistLike(256, seed: 2);
        var trainer = new Trainer<MnistSizedNet>(new MnistSizedNet(), new TrainingOptions { Threads = 2, Optimizer = new Adam(), MaxGradientNorm = 1f });
        int[] order = Enumerable.Range(0, 256).ToArray();
        for (int start = 0; start < 256; start += 64)
        {
            trainer.TrainBatch(data, order.AsSpan(start, 64));
        }
        Thread.Sleep(10); // the worker goes to sleep once, so that its waking is warmed up too
        trainer.TrainBatch(data, order.AsSpan(0, 64));

        // Counted per thread: the process as a whole also holds the test runner's threads, which allocate now and then.
        int helped = 0;
        long caller = GC.GetAllocatedBytesForCurrentThread();
        long workers = ChunkWork.WorkerAllocatedBytes;
        // At least 100 steps, and on until the worker has helped in more than 10: how often it wakes in time to take a
        // chunk depends on the machine's load and on how fast the caller computes its own (optimized from the first
        // call, a chunk can be done before a worker on a busy machine is scheduled).
        int steps = 0;
        for (; steps < 100 || (helped <= 10 && steps < 5000); steps++)
        {
            trainer.TrainBatch(data, order.AsSpan(steps % 4 * 64, 64));
            helped += trainer.LastBatchThreads - 1;
            if (steps % 10 == 0)
            {
                Thread.Sleep(5); // now and then, let the worker go to sleep
            }
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - caller);
        Assert.Equal(0, ChunkWork.WorkerAllocatedBytes - workers);
        Assert.True(helped > 10, $"a worker helped in only {helped} of {steps} steps");
    }
}
