using System.Diagnostics;
using System.Text.Json;
using static NetGen.Tests.Reference;

namespace NetGen.Tests;

/// <summary>
/// The sparse side of embeddings: the trainer keeps a table's gradient to the rows a batch touches, plain SGD and
/// LazyAdam step only those rows, and the results are the dense path's (the same bits for SGD and Adam, PyTorch's
/// SparseAdam for LazyAdam), for any thread count, after a batch that threw, allocating nothing and costing the same
/// on a vocabulary 500 times larger.
/// </summary>
public class EmbeddingSparseTests
{
    private const int Vocabulary = 40, Dimensions = 5, Padding = 0;

    private static readonly Lazy<JsonElement> SparseAdamFixture = new(() =>
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "embedding.json"));
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("sparseAdam").Clone();
    });

    [Fact]
    public void LazyAdam_matches_SparseAdam_on_the_table_and_Adam_on_the_rest_step_by_step()
    {
        JsonElement fixture = SparseAdamFixture.Value;
        float[] inputs = fixture.GetProperty("inputs").EnumerateArray().SelectMany(Floats).ToArray();
        float[] targets = fixture.GetProperty("targets").EnumerateArray().SelectMany(Floats).ToArray();
        var data = new DataSet(inputs, targets, EmbeddingSparseNet.InputSize, EmbeddingSparseNet.OutputSize);
        var net = new EmbeddingSparseNet();
        Floats(fixture.GetProperty("initial")).CopyTo(net.Parameters, 0);
        var trainer = new Trainer<EmbeddingSparseNet>(net, new TrainingOptions { Optimizer = new LazyAdam(), LearningRate = 0.05 });

        int step = 0;
        foreach (JsonElement expected in fixture.GetProperty("steps").EnumerateArray())
        {
            step++;
            int[] batch = expected.GetProperty("batch").EnumerateArray().Select(i => i.GetInt32()).ToArray();
            float loss = trainer.TrainBatch(data, batch);
            AssertClose([expected.GetProperty("loss").GetDouble()], [loss], $"loss of step {step}");
            AssertClose(Doubles(expected.GetProperty("parameters")), net.Parameters, $"parameters after step {step}");
        }
        Assert.Equal(10, step);
    }

    [Fact]
    public void LazyAdam_leaves_the_rows_a_batch_did_not_touch_and_their_moments_as_they_were()
    {
        DataSet data = Texts(new Random(5), count: 8, lowest: 1, highest: 10);
        DataSet other = Texts(new Random(6), count: 8, lowest: 20, highest: 30);
        var lazy = new LazyAdam();
        var net = new EmbeddingSparseNet();
        var trainer = new Trainer<EmbeddingSparseNet>(net, new TrainingOptions { Optimizer = lazy, LearningRate = 0.05 });
        trainer.TrainBatch(data, [0, 1, 2, 3, 4, 5, 6, 7]);
        float[] parameters = net.Parameters.ToArray(), first = lazy.State[0].ToArray(), second = lazy.State[1].ToArray();

        trainer.TrainBatch(other, [0, 1, 2, 3, 4, 5, 6, 7]);
        for (int row = 0; row < Vocabulary; row++)
        {
            Range table = (row * Dimensions)..((row + 1) * Dimensions);
            if (row is >= 20 and < 30)
            {
                Assert.NotEqual(parameters[table], net.Parameters[table]);
                continue;
            }
            Assert.Equal(parameters[table], net.Parameters[table]);
            Assert.Equal(first[table], lazy.State[0][table]);
            Assert.Equal(second[table], lazy.State[1][table]);
        }
        Assert.All(net.Parameters[..Dimensions], w => Assert.Equal(0f, w)); // the padding row
        // The dense layer is stepped as Adam steps it: every parameter, every step.
        Assert.NotEqual(parameters[(Vocabulary * Dimensions)..], net.Parameters[(Vocabulary * Dimensions)..]);
        Assert.True(first[..Dimensions].Concat(first[(10 * Dimensions)..(20 * Dimensions)]).All(m => m == 0f));
    }

    [Fact]
    public void LazyAdam_Step_called_alone_has_no_rows_to_skip_and_steps_every_parameter_as_Adam()
    {
        var random = new Random(8);
        float[] gradient = Enumerable.Range(0, 50).Select(i => i % 5 == 0 ? 0f : (float)(random.NextDouble() - 0.5)).ToArray();
        float[] lazy = Enumerable.Range(0, 50).Select(_ => (float)random.NextDouble()).ToArray(), dense = lazy.ToArray();
        Optimizer lazyAdam = new LazyAdam(), adam = new Adam();
        for (int step = 0; step < 3; step++)
        {
            lazyAdam.Step(lazy, gradient, 0.1);
            adam.Step(dense, gradient, 0.1);
        }
        Assert.Equal(dense, lazy);
        Assert.Equal(adam.State[0], lazyAdam.State[0]);
    }

    /// <summary>An optimizer, a batch size (8: one chunk; 40: two chunks) and a thread count.</summary>
    public static TheoryData<string, int, int> SparseAndDenseCases
    {
        get
        {
            var cases = new TheoryData<string, int, int>();
            foreach (string optimizer in Optimizers.Keys)
            {
                cases.Add(optimizer, 8, 1);
                cases.Add(optimizer, 40, 1);
                cases.Add(optimizer, 40, 2);
            }
            return cases;
        }
    }

    private static readonly Dictionary<string, Func<Optimizer>> Optimizers = new()
    {
        ["Sgd"] = () => new Sgd(),
        ["Sgd momentum"] = () => new Sgd(momentum: 0.9),
        ["Adam"] = () => new Adam(),
        ["AdamW"] = () => new AdamW(),
    };

    /// <summary>
    /// The reference is the dense path, which the trainer takes under a regularization: an L2 penalty of 0 adds
    /// nothing to the gradient, so both paths take the same steps, only one clears, adds and scales the whole table.
    /// </summary>
    [Theory]
    [MemberData(nameof(SparseAndDenseCases))]
    public void The_sparse_path_trains_to_bitwise_the_parameters_of_the_dense_path(string optimizer, int batchSize, int threads)
    {
        DataSet data = Texts(new Random(11), count: 200, lowest: 0, highest: Vocabulary);
        float[] Train(Regularization? regularization, int threadCount)
        {
            var net = new EmbeddingSparseNet();
            var trainer = new Trainer<EmbeddingSparseNet>(net, new TrainingOptions
            {
                Epochs = 3, BatchSize = batchSize, Optimizer = Optimizers[optimizer](), LearningRate = 0.05, Seed = 3,
                Threads = threadCount, Regularization = regularization,
            }) { MinParallelWork = 0 };
            trainer.Train(data);
            return net.Parameters;
        }
        float[] dense = Train(Regularization.L2(0), 1), sparse = Train(null, threads);
        Assert.Equal(dense, sparse);
        Assert.NotEqual(new EmbeddingSparseNet().Parameters, sparse);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(40)]
    public void Clipping_scales_the_sparse_gradient_as_the_dense_one(int batchSize)
    {
        DataSet data = Texts(new Random(12), count: 120, lowest: 0, highest: Vocabulary);
        float[] Train(Regularization? regularization, double? maxNorm)
        {
            var net = new EmbeddingSparseNet();
            Trainer.Train(net, data, new TrainingOptions
            {
                Epochs = 2, BatchSize = batchSize, Optimizer = new Sgd(), LearningRate = 0.5, Seed = 3, MaxGradientNorm = maxNorm, Regularization = regularization,
            });
            return net.Parameters;
        }
        float[] dense = Train(Regularization.L2(0), 0.05), sparse = Train(null, 0.05);
        // The squared length is summed in another order, so the clipping factor may differ in its last bit.
        AssertClose(dense.Select(v => (double)v).ToArray(), sparse, "clipped parameters");
        Assert.NotEqual(Train(null, maxNorm: null), sparse); // the gradients were clipped
    }

    [Theory]
    [InlineData(8)]
    [InlineData(40)]
    public void A_batch_with_an_id_outside_the_vocabulary_throws_and_the_next_batches_train_as_if_it_never_came(int batchSize)
    {
        DataSet data = Texts(new Random(13), count: 100, lowest: 0, highest: Vocabulary);
        float[] features = data.GetFeatureRows(0, data.Count).ToArray();
        features[(batchSize - 1) * EmbeddingSparseNet.InputSize + 2] = Vocabulary; // the last sample of the batch, position 2
        var broken = new DataSet(features, data.GetTargetRows(0, data.Count).ToArray(), EmbeddingSparseNet.InputSize, EmbeddingSparseNet.OutputSize);
        int[] first = Enumerable.Range(0, batchSize).ToArray(), second = Enumerable.Range(batchSize, batchSize).ToArray();

        float[] Train(bool throwFirst)
        {
            var net = new EmbeddingSparseNet();
            var trainer = new Trainer<EmbeddingSparseNet>(net, new TrainingOptions { Optimizer = new Adam(), LearningRate = 0.05 });
            trainer.TrainBatch(data, first);
            if (throwFirst)
            {
                var error = Assert.Throws<ArgumentException>(() => trainer.TrainBatch(broken, first));
                Assert.Contains("position 2 is 40", error.Message);
            }
            trainer.TrainBatch(data, second);
            trainer.TrainBatch(data, first);
            return net.Parameters;
        }
        Assert.Equal(Train(throwFirst: false), Train(throwFirst: true));
    }

    [Theory]
    [InlineData("Sgd", 8)]
    [InlineData("Sgd", 40)]
    [InlineData("LazyAdam", 8)]
    [InlineData("LazyAdam", 40)]
    [InlineData("Adam", 8)]
    [InlineData("Adam", 40)]
    public void A_training_step_with_a_sparse_table_allocates_nothing(string optimizer, int batchSize)
    {
        DataSet data = Texts(new Random(14), count: 200, lowest: 0, highest: Vocabulary);
        var trainer = new Trainer<EmbeddingSparseNet>(new EmbeddingSparseNet(), new TrainingOptions
        {
            Optimizer = optimizer == "LazyAdam" ? new LazyAdam() : optimizer == "Adam" ? new Adam() : new Sgd(), LearningRate = 0.01,
        });
        int[] order = Enumerable.Range(0, data.Count).Reverse().ToArray();
        int start = 0;
        long allocated = Allocations.LeastPerWindow(() =>
        {
            trainer.TrainBatch(data, order.AsSpan(start, batchSize));
            start = (start + batchSize) % (data.Count - batchSize);
        });
        Assert.Equal(0, allocated);
    }

    /// <summary>
    /// A step on a vocabulary of 500,000 against one of 1,000, with the same texts: a dense step would clear, scale and
    /// update 4,000,000 table parameters against 8,000, hundreds of times the work; a sparse one does the same work.
    /// </summary>
    [Theory]
    [InlineData("Sgd")]
    [InlineData("LazyAdam")]
    public void A_step_costs_about_the_same_on_a_vocabulary_500_times_larger(string optimizer)
    {
        double small = MicrosecondsPerStep<EmbeddingSmallVocabularyNet>(optimizer);
        double huge = MicrosecondsPerStep<EmbeddingHugeVocabularyNet>(optimizer);
        Assert.True(huge < 10 * small, $"{optimizer}: a step takes {huge:F1} us on 500,000 rows and {small:F1} us on 1,000.");
    }

    /// <summary>The least time per step of batches of 16 texts of 16 tokens of ids below 1,000, over several windows.</summary>
    private static double MicrosecondsPerStep<TNetwork>(string optimizer) where TNetwork : class, INetwork<TNetwork>, new()
    {
        var random = new Random(15);
        int count = 64, length = TNetwork.InputSize;
        float[] features = Enumerable.Range(0, count * length).Select(_ => (float)random.Next(1, 1_000)).ToArray();
        float[] targets = Enumerable.Range(0, count).Select(i => (float)(i % 2)).ToArray();
        var data = new DataSet(features, targets, length, 1);
        var trainer = new Trainer<TNetwork>(new TNetwork(), new TrainingOptions
        {
            Optimizer = optimizer == "Sgd" ? new Sgd() : new LazyAdam(), LearningRate = 0.01,
        });
        int[] batch = new int[16];
        int step = 0;
        void Step()
        {
            for (int i = 0; i < batch.Length; i++)
            {
                batch[i] = (step * batch.Length + i) % count;
            }
            trainer.TrainBatch(data, batch);
            step++;
        }
        for (int i = 0; i < 20; i++)
        {
            Step();
        }
        double least = double.MaxValue;
        for (int window = 0; window < 7; window++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < 20; i++)
            {
                Step();
            }
            least = Math.Min(least, Stopwatch.GetElapsedTime(start).TotalMicroseconds / 20);
        }
        return least;
    }

    /// <summary>Texts of ids in [<paramref name="lowest"/>, <paramref name="highest"/>) with trailing padding, labelled by their first id.</summary>
    private static DataSet Texts(Random random, int count, int lowest, int highest)
    {
        int length = EmbeddingSparseNet.InputSize, classes = EmbeddingSparseNet.OutputSize;
        var features = new float[count * length];
        var labels = new int[count];
        for (int s = 0; s < count; s++)
        {
            int used = random.Next(1, length + 1);
            for (int p = 0; p < length; p++)
            {
                features[s * length + p] = p < used ? Math.Max(random.Next(lowest, highest), Padding + 1) : Padding;
            }
            labels[s] = (int)features[s * length] % classes;
        }
        return new DataSet(features, DataSet.OneHot(labels, classes), length, classes);
    }
}
