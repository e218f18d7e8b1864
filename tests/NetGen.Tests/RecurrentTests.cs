using System.Text.Json;
using static NetGen.Tests.Reference;

namespace NetGen.Tests;

/// <summary>
/// The recurrent layers (SimpleRnn, LSTM, GRU) against PyTorch: Fixtures/recurrent.json holds, for each network of
/// RecurrentNetworks.cs, PyTorch's outputs, losses and gradients (tests/make_recurrent_fixtures.py). Then central finite
/// differences of the generated loss with dropout replayed, the batch, fused and threaded paths against the per-sample
/// one, gradient clipping on a long sequence, and the allocations.
/// </summary>
public class RecurrentTests
{
    /// <summary>The agreement the issue asks of PyTorch parity: float32 arithmetic against a float64 reference.</summary>
    private const double Relative = 1e-5;

    public static TheoryData<string> FixtureNetworks => new(Cases.Keys.Where(name => name != nameof(RecurrentDropoutNet)));

    public static TheoryData<string> AllNetworks => new(Cases.Keys);

    private static readonly Dictionary<string, IShapedNetworkCase> Cases = new IShapedNetworkCase[]
    {
        new ShapedNetworkCase<RnnTanhNet>(), new ShapedNetworkCase<RnnReluSequenceNet>(), new ShapedNetworkCase<LstmNet>(),
        new ShapedNetworkCase<LstmSequenceNet>(), new ShapedNetworkCase<GruNet>(), new ShapedNetworkCase<GruSequenceNet>(),
        new ShapedNetworkCase<StackedRecurrentNet>(), new ShapedNetworkCase<OneStepGruNet>(), new ShapedNetworkCase<LongLstmNet>(),
        new ShapedNetworkCase<RecurrentDropoutNet>(), new ShapedNetworkCase<WideLstmNet>(), new ShapedNetworkCase<WideGruNet>(),
    }.ToDictionary(c => c.Name);

    private static readonly Lazy<Dictionary<string, JsonElement>> Fixtures = new(() =>
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "recurrent.json"));
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone());
    });

    [Fact]
    public void Every_fixture_network_has_a_case()
    {
        Assert.Equal(Cases.Keys.Where(name => name != nameof(RecurrentDropoutNet)).Order(), Fixtures.Value.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(FixtureNetworks))]
    public void Outputs_losses_and_gradients_match_PyTorch(string network)
    {
        JsonElement fixture = Fixtures.Value[network];
        float[] parameters = Floats(fixture.GetProperty("parameters"));
        IShapedNetworkCase net = Cases[network];
        Assert.Equal(net.ParameterCount, parameters.Length);
        foreach (JsonElement sample in fixture.GetProperty("samples").EnumerateArray())
        {
            float[] input = Floats(sample.GetProperty("input")), target = Floats(sample.GetProperty("target"));
            var output = new float[target.Length];
            net.Predict(parameters, input, output);
            AssertClose(Doubles(sample.GetProperty("output")), output, $"{network} output");

            var gradient = new float[parameters.Length];
            float loss = net.AccumulateGradient(parameters, input, target, gradient);
            AssertClose([sample.GetProperty("loss").GetDouble()], [loss], $"{network} loss");
            AssertClose(Doubles(sample.GetProperty("gradient")), gradient, $"{network} gradient");
        }
    }

    [Theory]
    [MemberData(nameof(AllNetworks))]
    public void Gradient_matches_central_finite_differences_with_dropout_replayed(string network)
    {
        IShapedNetworkCase net = Cases[network];
        var random = new Random(7);
        float[] parameters = net.RandomParameters(seed: 3);
        float[] input = RandomValues(random, net.InputSize), target = net.RandomTarget(random);
        var replay = new DeterministicRandom(11);
        var gradient = new float[net.ParameterCount];
        var draw = replay;
        net.AccumulateGradient(parameters, input, target, gradient, ref draw);

        const float Step = 1e-3f;
        int checkedCount = 0;
        for (int i = 0; i < parameters.Length; i += Math.Max(1, parameters.Length / 97))
        {
            float original = parameters[i];
            parameters[i] = original + Step;
            draw = replay;
            double plus = net.AccumulateGradient(parameters, input, target, new float[net.ParameterCount], ref draw);
            parameters[i] = original - Step;
            draw = replay;
            double minus = net.AccumulateGradient(parameters, input, target, new float[net.ParameterCount], ref draw);
            parameters[i] = original;
            double numeric = (plus - minus) / (2 * Step);
            Assert.True(Math.Abs(numeric - gradient[i]) <= 2e-3 + 2e-2 * Math.Abs(numeric),
                $"{network}: parameter {i}: finite differences give {numeric}, the generated gradient {gradient[i]}");
            checkedCount++;
        }
        Assert.True(checkedCount >= Math.Min(parameters.Length, 90));
    }

    [Theory]
    [MemberData(nameof(FixtureNetworks))]
    public void The_batch_path_adds_what_the_samples_add_one_at_a_time(string network)
    {
        IShapedNetworkCase net = Cases[network];
        var random = new Random(5);
        float[] parameters = net.RandomParameters(seed: 9);
        const int Count = 5;
        float[] inputs = RandomValues(random, Count * net.InputSize);
        float[] targets = Enumerable.Range(0, Count).SelectMany(_ => net.RandomTarget(random)).ToArray();

        var expected = new float[net.ParameterCount];
        var sampleRandom = new DeterministicRandom(21);
        float expectedLoss = 0f;
        for (int s = 0; s < Count; s++)
        {
            expectedLoss += net.AccumulateGradient(parameters, inputs.AsSpan(s * net.InputSize, net.InputSize), targets.AsSpan(s * net.OutputSize, net.OutputSize), expected, ref sampleRandom);
        }
        var batch = new float[net.ParameterCount];
        var batchRandom = new DeterministicRandom(21);
        float loss = net.ComputeBatchGradient(parameters, inputs, targets, batch, ref batchRandom);
        Assert.Equal(expectedLoss, loss, 1e-4f);
        AssertClose(expected.Select(v => (double)v).ToArray(), batch, "batch gradient", 1e-5);
    }

    [Theory]
    [MemberData(nameof(AllNetworks))]
    public void SgdStep_moves_the_parameters_against_the_gradient(string network)
    {
        IShapedNetworkCase net = Cases[network];
        var random = new Random(13);
        float[] parameters = net.RandomParameters(seed: 1);
        float[] input = RandomValues(random, net.InputSize), target = net.RandomTarget(random);
        var gradient = new float[net.ParameterCount];
        var first = new DeterministicRandom(2);
        var second = first;
        float expectedLoss = net.AccumulateGradient(parameters, input, target, gradient, ref first);
        float[] updated = parameters.ToArray();
        float loss = net.SgdStep(updated, input, target, 0.1f, ref second);
        Assert.Equal(expectedLoss, loss);
        for (int i = 0; i < parameters.Length; i++)
        {
            Assert.Equal(parameters[i] - 0.1f * gradient[i], updated[i], 1e-6f);
        }
    }

    [Fact]
    public void Two_threads_train_a_recurrent_network_to_bitwise_the_same_parameters_as_one()
    {
        var random = new Random(17);
        const int Count = 150;
        float[] features = RandomValues(random, Count * RecurrentDropoutNet.InputSize);
        float[] targets = RandomValues(random, Count * RecurrentDropoutNet.OutputSize);
        var data = new DataSet(features, targets, RecurrentDropoutNet.InputSize, RecurrentDropoutNet.OutputSize);
        float[] Train(int threads)
        {
            var net = new RecurrentDropoutNet();
            Trainer.Train(net, data, new TrainingOptions { Epochs = 2, BatchSize = 32, Threads = threads, Optimizer = new Adam(), Seed = 4, LearningRate = 0.01f });
            return net.Parameters;
        }
        float[] one = Train(1), two = Train(2);
        Assert.Equal(one, two);
        Assert.NotEqual(new RecurrentDropoutNet().Parameters, one);
    }

    [Fact]
    public void Gradient_clipping_keeps_training_on_a_long_exploding_sequence_finite()
    {
        // A ReLU RNN over 30 steps whose recurrent matrix has eigenvalue 1.5: the state, and the gradient back through
        // time, grow about 1.5^30 = 2e5 times. A plain SGD step then throws the weights millions away (every unit dies);
        // clipping the gradient's norm to 1 bounds each step to the learning rate, and the loss comes down.
        var random = new Random(3);
        const int Count = 64, BatchSize = 8, Epochs = 3;
        float[] features = Enumerable.Range(0, Count * ExplodingRnnNet.InputSize).Select(_ => (float)random.NextDouble()).ToArray();
        float[] targets = Enumerable.Range(0, Count).Select(_ => (float)random.NextDouble()).ToArray();
        var data = new DataSet(features, targets, ExplodingRnnNet.InputSize, 1);
        ExplodingRnnNet Train(double? maxNorm)
        {
            var net = new ExplodingRnnNet();
            net.Parameters.AsSpan().Fill(0.5f);
            Trainer.Train(net, data, new TrainingOptions { Epochs = Epochs, BatchSize = BatchSize, Optimizer = new Sgd(), LearningRate = 0.01f, Seed = 1, MaxGradientNorm = maxNorm });
            return net;
        }
        var start = new ExplodingRnnNet();
        start.Parameters.AsSpan().Fill(0.5f);
        double startLoss = MeanLoss(start, data);
        Assert.True(startLoss > 1e9, $"the start loss {startLoss} should show the explosion");

        ExplodingRnnNet unclipped = Train(null);
        Assert.True(unclipped.Parameters.Max(Math.Abs) > 1e6, $"unclipped, the largest weight is {unclipped.Parameters.Max(Math.Abs)}");

        ExplodingRnnNet clipped = Train(1.0);
        double steps = Epochs * Count / BatchSize;
        Assert.All(clipped.Parameters, v => Assert.InRange(v, 0.5 - steps * 0.01 - 1e-4, 0.5 + steps * 0.01 + 1e-4));
        double clippedLoss = MeanLoss(clipped, data);
        Assert.True(clippedLoss < startLoss / 10, $"the clipped steps should bring the loss down from {startLoss}, not to {clippedLoss}");
    }

    private static double MeanLoss(ExplodingRnnNet net, DataSet data)
    {
        var output = new float[1];
        double sum = 0;
        for (int s = 0; s < data.Count; s++)
        {
            sum += net.Evaluate(data.GetFeatures(s), data.GetTargets(s), output);
        }
        return sum / data.Count;
    }

    [Fact]
    public void Layers_give_every_shape_and_parameter_block_in_PyTorchs_order()
    {
        Assert.Equal(
            [
                "Lstm [8, 3] -> [8, 6], 264 parameters",
                "Gru [8, 6] -> [5], 195 parameters",
                "Dense [5] -> [3], Softmax, 18 parameters",
            ],
            StackedRecurrentNet.Layers.Select(l => l.ToString()));
        Assert.Equal(["weight_ih [24, 3] at 0", "weight_hh [24, 6] at 72", "bias_ih [24] at 216", "bias_hh [24] at 240"],
            StackedRecurrentNet.Layers[0].Parameters.Select(b => b.ToString()));
        Assert.Equal([ParameterRole.Weight, ParameterRole.RecurrentWeight, ParameterRole.Bias, ParameterRole.Bias],
            StackedRecurrentNet.Layers[1].Parameters.Select(b => b.Role));
        Assert.Equal(["weight_ih [15, 6] at 264", "weight_hh [15, 5] at 354", "bias_ih [15] at 429", "bias_hh [15] at 444"],
            StackedRecurrentNet.Layers[1].Parameters.Select(b => b.ToString()));
        Assert.Equal(LayerKind.SimpleRnn, RnnTanhNet.Layers[0].Kind);
        // The fingerprint's arguments: the input's rank and dimensions, the units, ReturnSequences, and a SimpleRnn's nonlinearity.
        Assert.Equal([2, 8, 3, 6, 1], StackedRecurrentNet.Layers[0].Arguments);
        Assert.Equal([2, 8, 6, 5, 0], StackedRecurrentNet.Layers[1].Arguments);
        Assert.Equal([2, 5, 3, 4, 0, (int)Activation.Tanh], RnnTanhNet.Layers[0].Arguments);
        Assert.Equal(Activation.Identity, RnnTanhNet.Layers[0].Activation);
    }

    [Fact]
    public void L2_penalizes_the_input_and_recurrent_weights_and_not_the_biases()
    {
        var parameters = new float[RnnTanhNet.ParameterCount];
        parameters.AsSpan().Fill(1f);
        var gradient = new float[parameters.Length];
        Regularization.L2(2f).AddGradient(parameters, gradient, RnnTanhNet.Layers, sampleCount: 1);
        int recurrentWeights = 4 * 3 + 4 * 4, denseWeights = 2 * 4;
        Assert.Equal(recurrentWeights + denseWeights, gradient.Count(g => g == 2f));
        Assert.All(gradient[recurrentWeights..(recurrentWeights + 8)], g => Assert.Equal(0f, g));
    }

    [Fact]
    public void A_prediction_and_a_training_step_allocate_nothing()
    {
        var net = new StackedRecurrentNet();
        var input = new float[StackedRecurrentNet.InputSize];
        var output = new float[3];
        float[] target = [0f, 1f, 0f];
        var gradient = new float[StackedRecurrentNet.ParameterCount];
        var random = new DeterministicRandom(1);
        for (int i = 0; i < 50; i++)
        {
            net.Predict(input, output);
            StackedRecurrentNet.AccumulateBatchGradient(net.Parameters, input, target, gradient, ref random);
            StackedRecurrentNet.SgdStep(net.Parameters, input, target, 0.01f, ref random);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            net.Predict(input, output);
            StackedRecurrentNet.AccumulateBatchGradient(net.Parameters, input, target, gradient, ref random);
            StackedRecurrentNet.SgdStep(net.Parameters, input, target, 0.01f, ref random);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
