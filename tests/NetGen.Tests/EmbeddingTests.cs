using System.Text.Json;
using static NetGen.Tests.Reference;

namespace NetGen.Tests;

/// <summary>
/// Networks that start with an embedding, against PyTorch: Fixtures/embedding.json holds, for each network of
/// EmbeddingNetworks.cs, PyTorch's outputs, losses and gradients (tests/make_embedding_fixtures.py). Then finite
/// differences with repeated tokens and padding, the batch, fused and threaded paths, the checks of the token ids,
/// and the padding id's promises: left out of the mean, no gradient, a padded text predicts and learns as it was.
/// </summary>
public class EmbeddingTests
{
    private const double Relative = 1e-5;

    public static TheoryData<string> Networks => new(Cases.Keys.Where(name => name != nameof(EmbeddingMeanBinaryLongNet)));

    private static readonly Dictionary<string, ITokenNetwork> Cases = new ITokenNetwork[]
    {
        new TokenNetwork<EmbeddingMeanBinaryNet>(11, 5, 0), new TokenNetwork<EmbeddingMeanBinaryLongNet>(11, 5, 0),
        new TokenNetwork<EmbeddingMeanSoftmaxNet>(9, 12, 2), new TokenNetwork<EmbeddingPlainMeanNet>(8, 4, -1),
        new TokenNetwork<EmbeddingFlattenNet>(10, 3, 9),
    }.ToDictionary(c => c.Name);

    private static readonly Lazy<Dictionary<string, JsonElement>> Fixtures = new(() =>
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "embedding.json"));
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone());
    });

    [Theory]
    [MemberData(nameof(Networks))]
    public void Outputs_losses_and_gradients_match_PyTorch(string network)
    {
        JsonElement fixture = Fixtures.Value[network];
        float[] parameters = Floats(fixture.GetProperty("parameters"));
        ITokenNetwork net = Cases[network];
        Assert.Equal(net.ParameterCount, parameters.Length);
        int samples = 0;
        foreach (JsonElement sample in fixture.GetProperty("samples").EnumerateArray())
        {
            float[] input = Floats(sample.GetProperty("input")), target = Floats(sample.GetProperty("target"));
            var output = new float[target.Length];
            net.Predict(parameters, input, output);
            AssertClose(Doubles(sample.GetProperty("output")), output, "output");

            var gradient = new float[parameters.Length];
            float loss = net.AccumulateGradient(parameters, input, target, gradient);
            AssertClose([sample.GetProperty("loss").GetDouble()], [loss], "loss");
            AssertClose(Doubles(sample.GetProperty("gradient")), gradient, "gradient");
            samples++;
        }
        Assert.Equal(4, samples);
    }

    /// <summary>
    /// Every parameter but the padding row's, which PyTorch (and NetGen) give no gradient by decree: behind a flatten
    /// its values do reach the output, so finite differences would see them move the loss.
    /// </summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void Gradient_matches_central_finite_differences_with_repeated_tokens_and_padding(string network)
    {
        ITokenNetwork net = Cases[network];
        var random = new Random(7);
        float[] parameters = net.RandomParameters(seed: 3);
        foreach (float[] input in net.Texts(random))
        {
            float[] target = net.RandomTarget(random);
            var gradient = new float[net.ParameterCount];
            net.AccumulateGradient(parameters, input, target, gradient);
            const float Step = 1e-3f;
            for (int i = 0; i < parameters.Length; i++)
            {
                if (net.IsPaddingRow(i))
                {
                    Assert.Equal(0f, gradient[i]);
                    continue;
                }
                float original = parameters[i];
                parameters[i] = original + Step;
                double plus = net.AccumulateGradient(parameters, input, target, new float[net.ParameterCount]);
                parameters[i] = original - Step;
                double minus = net.AccumulateGradient(parameters, input, target, new float[net.ParameterCount]);
                parameters[i] = original;
                double numeric = (plus - minus) / (2 * Step);
                Assert.True(Math.Abs(numeric - gradient[i]) <= 2e-3 + 2e-2 * Math.Abs(numeric),
                    $"{network}, text [{string.Join(", ", input)}]: parameter {i}: finite differences give {numeric}, the generated gradient {gradient[i]}");
            }
        }
    }

    [Fact]
    public void A_repeated_token_adds_the_deltas_of_all_its_positions_into_its_row()
    {
        float[] parameters = Cases[nameof(EmbeddingPlainMeanNet)].RandomParameters(seed: 2);
        var gradient = new float[EmbeddingPlainMeanNet.ParameterCount];
        var output = new float[1];
        EmbeddingPlainMeanNet.Predict(parameters, [3f, 3f, 3f, 3f, 3f], output);
        EmbeddingPlainMeanNet.AccumulateGradient(parameters, [3f, 3f, 3f, 3f, 3f], [1f], gradient);
        // The mean of five copies of row 3 is row 3: each position gets a fifth of dL/dmean = (p - y) w, and row 3
        // gathers all five fifths. Every other row gets nothing.
        const int Dense = 8 * 4;
        for (int d = 0; d < 4; d++)
        {
            Assert.Equal((output[0] - 1f) * parameters[Dense + d], gradient[3 * 4 + d], 1e-6f);
            Assert.NotEqual(0f, gradient[3 * 4 + d]);
        }
        Assert.All(gradient[..12].Concat(gradient[16..Dense]), g => Assert.Equal(0f, g));
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void The_batch_path_adds_what_the_samples_add_one_at_a_time(string network)
    {
        ITokenNetwork net = Cases[network];
        var random = new Random(5);
        float[] parameters = net.RandomParameters(seed: 9);
        float[][] texts = net.Texts(random).ToArray();
        float[] inputs = texts.SelectMany(t => t).ToArray();
        float[] targets = texts.SelectMany(_ => net.RandomTarget(random)).ToArray();
        var expected = new float[net.ParameterCount];
        float expectedLoss = 0f;
        for (int s = 0; s < texts.Length; s++)
        {
            expectedLoss += net.AccumulateGradient(parameters, texts[s], targets.AsSpan(s * net.OutputSize, net.OutputSize), expected);
        }
        var batch = new float[net.ParameterCount];
        batch.AsSpan().Fill(123f); // overwritten, never read
        var batchRandom = new DeterministicRandom(21);
        float loss = net.ComputeBatchGradient(parameters, inputs, targets, batch, ref batchRandom);
        Assert.Equal(expectedLoss, loss, 1e-4f);
        AssertClose(expected.Select(v => (double)v).ToArray(), batch, "batch gradient");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void SgdStep_moves_the_parameters_against_the_gradient_and_never_the_padding_row(string network)
    {
        ITokenNetwork net = Cases[network];
        var random = new Random(13);
        float[] parameters = net.RandomParameters(seed: 1);
        foreach (float[] input in net.Texts(random))
        {
            float[] target = net.RandomTarget(random);
            var gradient = new float[net.ParameterCount];
            float expectedLoss = net.AccumulateGradient(parameters, input, target, gradient);
            float[] updated = parameters.ToArray();
            var draw = new DeterministicRandom(2);
            float loss = net.SgdStep(updated, input, target, 0.1f, ref draw);
            Assert.Equal(expectedLoss, loss);
            for (int i = 0; i < parameters.Length; i++)
            {
                Assert.Equal(parameters[i] - 0.1f * gradient[i], updated[i], 1e-6f);
                if (net.IsPaddingRow(i))
                {
                    Assert.Equal(parameters[i], updated[i]);
                }
            }
        }
    }

    [Fact]
    public void Padding_a_text_to_any_length_changes_neither_its_prediction_nor_its_gradient()
    {
        float[] parameters = Cases[nameof(EmbeddingMeanBinaryNet)].RandomParameters(seed: 4);
        Assert.Equal(EmbeddingMeanBinaryNet.ParameterCount, EmbeddingMeanBinaryLongNet.ParameterCount);
        float[] target = [0.3f];
        float[] text = [5f, 7f, 5f, 1f, 10f, 0f, 0f];
        var shortOutput = new float[1];
        EmbeddingMeanBinaryNet.Predict(parameters, text, shortOutput);
        var shortGradient = new float[parameters.Length];
        float shortLoss = EmbeddingMeanBinaryNet.AccumulateGradient(parameters, text, target, shortGradient);
        Assert.Contains(shortGradient, g => g != 0f);

        // The same text padded to 13 tokens, at the end and between its tokens.
        foreach (float[] padded in new[]
        {
            new float[] { 5f, 7f, 5f, 1f, 10f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f },
            new float[] { 0f, 5f, 0f, 7f, 0f, 0f, 5f, 1f, 0f, 0f, 10f, 0f, 0f },
        })
        {
            var longOutput = new float[1];
            EmbeddingMeanBinaryLongNet.Predict(parameters, padded, longOutput);
            var longGradient = new float[parameters.Length];
            float longLoss = EmbeddingMeanBinaryLongNet.AccumulateGradient(parameters, padded, target, longGradient);
            Assert.Equal(shortOutput, longOutput);
            Assert.Equal(shortLoss, longLoss);
            Assert.Equal(shortGradient, longGradient);
        }
    }

    [Fact]
    public void A_text_of_padding_only_averages_nothing_and_learns_nothing_in_its_table()
    {
        float[] parameters = Cases[nameof(EmbeddingMeanBinaryNet)].RandomParameters(seed: 4);
        var output = new float[1];
        EmbeddingMeanBinaryNet.Predict(parameters, new float[7], output);
        // The mean is the zero vector, so the output is sigmoid(bias).
        Assert.Equal(1f / (1f + MathF.Exp(-parameters[^1])), output[0], 1e-6f);
        var gradient = new float[parameters.Length];
        EmbeddingMeanBinaryNet.AccumulateGradient(parameters, new float[7], [1f], gradient);
        Assert.All(gradient[..55], g => Assert.Equal(0f, g));
        Assert.NotEqual(0f, gradient[^1]);
    }

    public static TheoryData<float, string> InvalidIds => new()
    {
        { -1f, "-1" },
        { 2.5f, "2.5" },
        { float.NaN, "NaN" },
        { 11f, "11" },
        { 1e9f, "1E+09" },
        { float.PositiveInfinity, "Infinity" },
        { -0.25f, "-0.25" },
    };

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public void An_id_that_is_not_in_the_vocabulary_throws_naming_the_position_the_value_and_the_vocabulary(float id, string shown)
    {
        var net = new EmbeddingMeanBinaryNet();
        float[] before = net.Parameters.ToArray();
        float[] input = [1f, 2f, 3f, id, 4f, 0f, 0f];
        string expected = $"The token id at position 3 is {shown}, but the embedding's vocabulary has 11 ids: each token must be a whole number from 0 to 10.";

        void AssertThrows(Action action)
        {
            var exception = Assert.Throws<ArgumentException>(action);
            Assert.StartsWith(expected, exception.Message);
            Assert.Equal("input", exception.ParamName);
        }

        AssertThrows(() => net.Predict(input, new float[1]));
        AssertThrows(() => net.AccumulateGradient(input, [1f], new float[EmbeddingMeanBinaryNet.ParameterCount]));
        AssertThrows(() => net.SgdStep(input, [1f], 0.1f));
        AssertThrows(() =>
        {
            var random = new DeterministicRandom(1);
            EmbeddingMeanBinaryNet.ComputeBatchGradient(net.Parameters, [.. new float[] { 1f, 1f, 1f, 1f, 1f, 1f, 1f }, .. input], [1f, 1f], new float[EmbeddingMeanBinaryNet.ParameterCount], ref random);
        });
        Assert.Equal(before, net.Parameters);
    }

    [Fact]
    public void Predict_takes_int_token_ids_and_gives_what_the_float_path_gives()
    {
        var net = new EmbeddingMeanSoftmaxNet();
        var random = new Random(8);
        foreach (float[] text in Cases[nameof(EmbeddingMeanSoftmaxNet)].Texts(random))
        {
            int[] tokens = text.Select(t => (int)t).ToArray();
            float[] fromInts = new float[3], fromFloats = new float[3];
            net.Predict(tokens, fromInts);
            net.Predict(text, fromFloats);
            Assert.Equal(fromFloats, fromInts);
            Assert.Equal(1f, fromInts.Sum(), 1e-6f);
            var withParameters = new float[3];
            EmbeddingMeanSoftmaxNet.Predict(net.Parameters, tokens, withParameters);
            Assert.Equal(fromFloats, withParameters);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(9)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void An_int_id_outside_the_vocabulary_throws_naming_the_position_the_value_and_the_vocabulary(int id)
    {
        var net = new EmbeddingMeanSoftmaxNet();
        int[] tokens = [1, 3, id, 4, 2, 2];
        var exception = Assert.Throws<ArgumentException>(() => net.Predict(tokens, new float[3]));
        Assert.StartsWith($"The token id at position 2 is {id}, but the embedding's vocabulary has 9 ids: each token must be a whole number from 0 to 8.", exception.Message);
        Assert.Equal("tokens", exception.ParamName);
        var length = Assert.Throws<ArgumentException>(() => net.Predict(new int[5], new float[3]));
        Assert.Equal("tokens", length.ParamName);
    }

    [Fact]
    public void The_largest_id_and_ids_as_whole_floats_are_read()
    {
        var net = new EmbeddingMeanBinaryNet();
        var output = new float[1];
        net.Predict([10f, 10f, 0f, 0f, 0f, 0f, 0f], output);
        // The mean of two copies of row 10 is row 10.
        float z = net.Parameters[55 + 5];
        for (int d = 0; d < 5; d++)
        {
            z += net.Parameters[55 + d] * net.Parameters[10 * 5 + d];
        }
        Assert.Equal(1f / (1f + MathF.Exp(-z)), output[0], 1e-6f);
    }

    [Fact]
    public void The_padding_row_starts_at_zero_and_stays_there_through_training_with_Adam()
    {
        var net = new EmbeddingMeanSoftmaxNet();
        float[] initial = net.Parameters.ToArray();
        Assert.All(initial[(2 * 12)..(3 * 12)], w => Assert.Equal(0f, w));
        // Unit variance, as PyTorch's N(0, 1), drawn uniformly within sqrt(3).
        Assert.All(initial[..108], w => Assert.InRange(w, -1.7320509f, 1.7320509f));
        Assert.True(initial[..108].Max(Math.Abs) > 1.5f);

        DataSet data = TextData(new Random(3), count: 64, EmbeddingMeanSoftmaxNet.InputSize, vocabulary: 9, padding: 2, classes: 3);
        Trainer.Train(net, data, new TrainingOptions { Epochs = 3, BatchSize = 8, Optimizer = new Adam(), Seed = 1, LearningRate = 0.05f });
        Assert.All(net.Parameters[(2 * 12)..(3 * 12)], w => Assert.Equal(0f, w));
        Assert.NotEqual(initial[..24], net.Parameters[..24]);
    }

    [Fact]
    public void Two_threads_train_an_embedding_network_to_bitwise_the_same_parameters_as_one()
    {
        DataSet data = TextData(new Random(17), count: 200, EmbeddingMeanSoftmaxNet.InputSize, vocabulary: 9, padding: 2, classes: 3);
        float[] Train(int threads)
        {
            var net = new EmbeddingMeanSoftmaxNet();
            Trainer.Train(net, data, new TrainingOptions { Epochs = 2, BatchSize = 64, Threads = threads, Optimizer = new Adam(), Seed = 4, LearningRate = 0.01f });
            return net.Parameters;
        }
        float[] one = Train(1), two = Train(2);
        Assert.Equal(one, two);
        Assert.NotEqual(new EmbeddingMeanSoftmaxNet().Parameters, one);
    }

    [Fact]
    public void Layers_give_the_embedding_its_shapes_and_table()
    {
        Assert.Equal(
            [
                "Embedding [7] -> [7, 5], 55 parameters",
                "GlobalAveragePool [7, 5] -> [5], 0 parameters",
                "Dense [5] -> [1], Sigmoid, 6 parameters",
            ],
            EmbeddingMeanBinaryNet.Layers.Select(l => l.ToString()));
        ParameterBlock table = Assert.Single(EmbeddingMeanBinaryNet.Layers[0].Parameters);
        Assert.Equal("weight [11, 5] at 0", table.ToString());
        Assert.Equal(ParameterRole.Embedding, table.Role);
        Assert.Equal(LayerKind.Embedding, EmbeddingMeanBinaryNet.Layers[0].Kind);
    }

    [Fact]
    public void A_saved_embedding_network_loads_back_and_is_refused_by_a_network_of_another_length()
    {
        var net = new EmbeddingMeanBinaryNet();
        net.InitializeParameters(seed: 12);
        using var stream = new MemoryStream();
        NetworkFile.Save(net, stream);
        stream.Position = 0;
        var loaded = new EmbeddingMeanBinaryNet();
        NetworkFile.Load(loaded, stream);
        Assert.Equal(net.Parameters, loaded.Parameters);

        // The same table and dense layer, but texts of 13 tokens: another shape, so another fingerprint.
        stream.Position = 0;
        var longer = new EmbeddingMeanBinaryLongNet();
        float[] before = longer.Parameters.ToArray();
        Assert.Throws<NetworkFileException>(() => NetworkFile.Load(longer, stream));
        Assert.Equal(before, longer.Parameters);
    }

    [Fact]
    public void A_prediction_and_a_training_step_allocate_nothing()
    {
        var net = new EmbeddingMeanSoftmaxNet();
        float[] input = [1f, 4f, 4f, 8f, 2f, 2f];
        int[] tokens = [1, 4, 4, 8, 2, 2];
        var output = new float[3];
        float[] target = [0f, 1f, 0f];
        var gradient = new float[EmbeddingMeanSoftmaxNet.ParameterCount];
        var random = new DeterministicRandom(1);
        for (int i = 0; i < 50; i++)
        {
            net.Predict(input, output);
            EmbeddingMeanSoftmaxNet.AccumulateBatchGradient(net.Parameters, input, target, gradient, ref random);
            EmbeddingMeanSoftmaxNet.SgdStep(net.Parameters, input, target, 0.01f, ref random);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            net.Predict(input, output);
            net.Predict(tokens, output);
            EmbeddingMeanSoftmaxNet.AccumulateBatchGradient(net.Parameters, input, target, gradient, ref random);
            EmbeddingMeanSoftmaxNet.SgdStep(net.Parameters, input, target, 0.01f, ref random);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Texts of random tokens with a trailing run of padding; the class is the most frequent of the first three tokens' residues.</summary>
    private static DataSet TextData(Random random, int count, int length, int vocabulary, int padding, int classes)
    {
        var features = new float[count * length];
        var labels = new int[count];
        for (int s = 0; s < count; s++)
        {
            int used = random.Next(1, length + 1);
            for (int p = 0; p < length; p++)
            {
                int token = random.Next(vocabulary - 1);
                features[s * length + p] = p < used ? (token >= padding ? token + 1 : token) : padding;
            }
            labels[s] = (int)features[s * length] % classes;
        }
        return new DataSet(features, DataSet.OneHot(labels, classes), length, classes);
    }

    private interface ITokenNetwork
    {
        string Name { get; }
        int InputSize { get; }
        int OutputSize { get; }
        int ParameterCount { get; }
        bool IsPaddingRow(int parameter);
        IEnumerable<float[]> Texts(Random random);
        float[] RandomParameters(int seed);
        float[] RandomTarget(Random random);
        void Predict(float[] parameters, ReadOnlySpan<float> input, Span<float> output);
        float AccumulateGradient(float[] parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradient);
        float ComputeBatchGradient(float[] parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> gradient, ref DeterministicRandom random);
        float SgdStep(float[] parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate, ref DeterministicRandom random);
    }

    /// <summary>A network whose first layer is an embedding of <paramref name="vocabulary"/> rows of <paramref name="dimensions"/>, with padding id <paramref name="padding"/> (-1: none).</summary>
    private sealed class TokenNetwork<T>(int vocabulary, int dimensions, int padding) : ITokenNetwork where T : INetwork<T>
    {
        public string Name => typeof(T).Name;
        public int InputSize => T.InputSize;
        public int OutputSize => T.OutputSize;
        public int ParameterCount => T.ParameterCount;

        public bool IsPaddingRow(int parameter) => padding >= 0 && parameter / dimensions == padding && parameter < vocabulary * dimensions;

        /// <summary>A text with a token repeated and trailing padding, one with padding in the middle, one token everywhere, random ones.</summary>
        public IEnumerable<float[]> Texts(Random random)
        {
            int n = T.InputSize;
            float Word() { int t = random.Next(vocabulary); return t == padding ? (t + 1) % vocabulary : t; }
            float pad = padding >= 0 ? padding : Word();
            float[] repeated = Enumerable.Range(0, n).Select(_ => Word()).ToArray();
            repeated[1] = repeated[0];
            repeated[n - 1] = pad;
            yield return repeated;
            float[] middle = Enumerable.Range(0, n).Select(_ => Word()).ToArray();
            middle[n / 2] = pad;
            yield return middle;
            float same = Word();
            yield return Enumerable.Repeat(same, n).ToArray();
            yield return Enumerable.Range(0, n).Select(_ => (float)random.Next(vocabulary)).ToArray();
        }

        public float[] RandomParameters(int seed)
        {
            var parameters = new float[T.ParameterCount];
            T.InitializeParameters(parameters, seed);
            var random = new Random(seed);
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] = parameters[i] * 0.5f + (float)(random.NextDouble() * 0.2 - 0.1);
            }
            return parameters;
        }

        public float[] RandomTarget(Random random)
        {
            var target = new float[T.OutputSize];
            if (T.Loss == Loss.CrossEntropy)
            {
                target[random.Next(T.OutputSize)] = 1f;
            }
            else
            {
                for (int i = 0; i < target.Length; i++)
                {
                    target[i] = (float)random.NextDouble();
                }
            }
            return target;
        }

        public void Predict(float[] parameters, ReadOnlySpan<float> input, Span<float> output) => T.Predict(parameters, input, output);

        public float AccumulateGradient(float[] parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradient)
            => T.AccumulateGradient(parameters, input, target, gradient);

        public float ComputeBatchGradient(float[] parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> gradient, ref DeterministicRandom random)
            => T.ComputeBatchGradient(parameters, inputs, targets, gradient, ref random);

        public float SgdStep(float[] parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate, ref DeterministicRandom random)
            => T.SgdStep(parameters, input, target, learningRate, ref random);
    }
}
