using System.Text.Json;
using static NetGen.Tests.Reference;

namespace NetGen.Tests;

/// <summary>
/// The shaped layers (convolution, pooling, flatten, global average pooling) against PyTorch: Fixtures/convolution.json
/// holds, for each network of ConvolutionNetworks.cs, PyTorch's outputs, losses and gradients (tests/make_convolution_fixtures.py).
/// Then central finite differences of the generated loss, with dropout replayed, and the batch, fused and threaded paths
/// against the per-sample one.
/// </summary>
public class ConvolutionTests
{
    /// <summary>The agreement the issue asks of PyTorch parity: float32 arithmetic against a float64 reference.</summary>
    private const double Relative = 1e-5;

    public static TheoryData<string> FixtureNetworks => new(Cases.Keys.Where(name => name != nameof(ConvDropoutNet)));

    public static TheoryData<string> AllNetworks => new(Cases.Keys);

    private static readonly Dictionary<string, IShapedNetworkCase> Cases = new IShapedNetworkCase[]
    {
        new ShapedNetworkCase<ConvValidNet>(), new ShapedNetworkCase<ConvSameMaxPoolNet>(), new ShapedNetworkCase<ConvStrideTwoAveragePoolNet>(),
        new ShapedNetworkCase<ConvStackGlobalPoolNet>(), new ShapedNetworkCase<ConvFashionShapedNet>(), new ShapedNetworkCase<SequenceGlobalPoolNet>(),
        new ShapedNetworkCase<ConvDropoutNet>(), new ShapedNetworkCase<ConvWorkspaceNet>(), new ShapedNetworkCase<ConvFilterBlocksNet>(),
    }.ToDictionary(c => c.Name);

    private static readonly Lazy<Dictionary<string, JsonElement>> Fixtures = new(() =>
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "convolution.json"));
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone());
    });

    [Fact]
    public void Max_pooling_sends_a_tied_windows_delta_to_its_first_largest_value_as_PyTorch_does()
    {
        // Channel 0 then channel 1, rows of six; their sums (the convolution's outputs) are [1, 1, 0, 2, 3, 3] over
        // [0, 0, 2, 0, 3, 3]: the three 2x2 windows tie at (0, 0) and (0, 1), at (0, 3) and (1, 2), and everywhere.
        float[] input =
        [
            1, 0, 0, 0, 3, 0,
            0, 0, 2, 0, 1, 1.5f,
            0, 1, 0, 2, 0, 3,
            0, 0, 0, 0, 2, 1.5f,
        ];
        // Convolution weights (1, 1) and bias 0; dense weights (1, 1, 1) and bias 0.
        float[] parameters = [1, 1, 0, 1, 1, 1, 0];
        Assert.Equal(PoolTieNet.ParameterCount, parameters.Length);
        var gradient = new float[parameters.Length];
        PoolTieNet.AccumulateGradient(parameters, input, [0f], gradient);

        // Each window's delta is dL/dy (the dense bias's gradient) and goes to the first largest in reading order:
        // channel 0 there holds 1, 0 and 3, channel 1 holds 0, 2 and 0. The last largest would give 3.5 and 2.5.
        float delta = gradient[6];
        Assert.NotEqual(0f, delta);
        Assert.Equal(4 * delta, gradient[0]);
        Assert.Equal(2 * delta, gradient[1]);
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
            AssertClose(Doubles(sample.GetProperty("output")), output, "output");

            var gradient = new float[parameters.Length];
            float loss = net.AccumulateGradient(parameters, input, target, gradient);
            AssertClose([sample.GetProperty("loss").GetDouble()], [loss], "loss");
            AssertClose(Doubles(sample.GetProperty("gradient")), gradient, "gradient");
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

        // In double around float32 values: the loss is computed in float, so the step must be large enough that its
        // rounding (about 1e-7 of the loss) is small against the difference it makes, and small enough for the curvature.
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

    /// <summary>
    /// The batch path draws each layer's dropout masks for the whole micro-batch at once, so with dropout its masks
    /// differ from one sample at a time; the networks without dropout are compared here, the one with dropout by the
    /// finite differences above and by the threaded training below.
    /// </summary>
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
    public void Two_threads_train_a_convolutional_network_to_bitwise_the_same_parameters_as_one()
    {
        var random = new Random(17);
        const int Count = 200;
        float[] features = RandomValues(random, Count * ConvFashionShapedNet.InputSize);
        float[] targets = DataSet.OneHot(Enumerable.Range(0, Count).Select(i => i % 10).ToArray(), 10);
        var data = new DataSet(features, targets, ConvFashionShapedNet.InputSize, 10);
        float[] Train(int threads)
        {
            var net = new ConvFashionShapedNet();
            Trainer.Train(net, data, new TrainingOptions { Epochs = 2, BatchSize = 64, Threads = threads, Optimizer = new Adam(), Seed = 4, LearningRate = 0.01f });
            return net.Parameters;
        }
        float[] one = Train(1), two = Train(2);
        Assert.Equal(one, two);
        Assert.NotEqual(new ConvFashionShapedNet().Parameters, one);
    }

    [Fact]
    public void Layers_give_every_shape_and_parameter_block()
    {
        Assert.Equal(
            [
                "Conv2D [1, 28, 28] -> [3, 28, 28], ReLU, 30 parameters",
                "MaxPool2D [3, 28, 28] -> [3, 13, 13], 0 parameters",
                "Conv2D [3, 13, 13] -> [4, 11, 11], ReLU, 112 parameters",
                "AveragePool2D [4, 11, 11] -> [4, 5, 5], 0 parameters",
                "Flatten [4, 5, 5] -> [100], 0 parameters",
                "Dense [100] -> [10], Softmax, 1010 parameters",
            ],
            ConvFashionShapedNet.Layers.Select(l => l.ToString()));
        Assert.Equal(["weight [3, 1, 3, 3] at 0", "bias [3] at 27"], ConvFashionShapedNet.Layers[0].Parameters.Select(b => b.ToString()));
        Assert.Equal(["weight [4, 3, 3, 3] at 30", "bias [4] at 138"], ConvFashionShapedNet.Layers[2].Parameters.Select(b => b.ToString()));
        Assert.Equal(30 + 112 + 1010, ConvFashionShapedNet.ParameterCount);
        Assert.Equal(784, ConvFashionShapedNet.InputSize);
    }

    [Fact]
    public void PredictLayerOutputs_gives_each_layers_output_in_order()
    {
        var net = new ConvFashionShapedNet();
        net.InitializeParameters(seed: 8);
        float[] input = RandomValues(new Random(3), ConvFashionShapedNet.InputSize);
        var outputs = new float[ConvFashionShapedNet.LayerOutputsSize];
        net.PredictLayerOutputs(input, outputs);

        int[] sizes = ConvFashionShapedNet.Layers.Select(l => l.OutputSize).ToArray();
        Assert.Equal(sizes.Sum(), outputs.Length);
        int[] starts = sizes.Select((_, k) => sizes.Take(k).Sum()).ToArray();
        var prediction = new float[10];
        net.Predict(input, prediction);
        Assert.Equal(prediction, outputs[starts[5]..]);
        // The flatten layer's output is the pooling's, value for value; ReLU outputs are never negative.
        Assert.Equal(outputs[starts[3]..starts[4]], outputs[starts[4]..starts[5]]);
        Assert.All(outputs[..starts[1]], v => Assert.True(v >= 0f));
        // Max pooling: each output is the largest of its 3x3 window (stride 2) of the first layer's [3, 28, 28].
        float[] conv = outputs[..starts[1]], pooled = outputs[starts[1]..starts[2]];
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < 13; y++)
            {
                for (int x = 0; x < 13; x++)
                {
                    float max = float.NegativeInfinity;
                    for (int wy = 0; wy < 3; wy++)
                    {
                        for (int wx = 0; wx < 3; wx++)
                        {
                            max = Math.Max(max, conv[(c * 28 + y * 2 + wy) * 28 + x * 2 + wx]);
                        }
                    }
                    Assert.Equal(max, pooled[(c * 13 + y) * 13 + x]);
                }
            }
        }
        Assert.Throws<ArgumentException>(() => net.PredictLayerOutputs(input, new float[outputs.Length - 1]));
    }

    [Fact]
    public void The_initializer_takes_each_kernels_fans_from_its_shape()
    {
        // He uniform for the ReLU convolution: fan-in = 1 x 3 x 3 = 9, so every weight lies within sqrt(6/9).
        var parameters = new float[ConvFashionShapedNet.ParameterCount];
        ConvFashionShapedNet.InitializeParameters(parameters, seed: 5);
        float limit = MathF.Sqrt(6f / 9f);
        Assert.All(parameters[..27], w => Assert.InRange(w, -limit, limit));
        Assert.True(parameters[..27].Max(Math.Abs) > limit * 0.6f);
        Assert.All(parameters[27..30], b => Assert.Equal(0f, b));
        // The second convolution: fan-in 3 x 3 x 3 = 27.
        float limit2 = MathF.Sqrt(6f / 27f);
        Assert.All(parameters[30..138], w => Assert.InRange(w, -limit2, limit2));
    }

    [Fact]
    public void L2_penalizes_the_convolution_kernels_and_not_their_biases()
    {
        var parameters = new float[ConvValidNet.ParameterCount];
        parameters.AsSpan().Fill(1f);
        var gradient = new float[parameters.Length];
        Regularization.L2(2f).AddGradient(parameters, gradient, ConvValidNet.Layers, sampleCount: 1);
        int kernelWeights = 2 * 1 * 3 * 3, denseWeights = 3 * 32;
        Assert.Equal(kernelWeights + denseWeights, gradient.Count(g => g == 2f));
        Assert.Equal(0f, gradient[kernelWeights]); // the first convolution bias
        Assert.Equal((kernelWeights + denseWeights) * 1.0, Regularization.L2(2f).Penalty(parameters, ConvValidNet.Layers, sampleCount: 1), 3);
    }

    [Fact]
    public void A_network_whose_scratch_is_in_the_workspace_allocates_nothing_after_each_threads_first_pass()
    {
        var net = new ConvWorkspaceNet();
        var input = new float[ConvWorkspaceNet.InputSize];
        var output = new float[10];
        float[] target = new float[10];
        target[1] = 1f;
        var gradient = new float[ConvWorkspaceNet.ParameterCount];
        var random = new DeterministicRandom(1);
        Assert.Equal(0, Allocations.LeastPerWindow(() =>
        {
            net.Predict(input, output);
            net.Evaluate(input, target, output);
            ConvWorkspaceNet.AccumulateGradient(net.Parameters, input, target, gradient, ref random);
            ConvWorkspaceNet.ComputeBatchGradient(net.Parameters, input, target, gradient, ref random);
            ConvWorkspaceNet.SgdStep(net.Parameters, input, target, 0.01f, ref random);
        }, warmUp: 20, stepsPerWindow: 5));
    }

    [Fact]
    public void A_prediction_and_a_training_step_allocate_nothing()
    {
        var net = new ConvFashionShapedNet();
        var input = new float[ConvFashionShapedNet.InputSize];
        var output = new float[10];
        float[] target = new float[10];
        target[3] = 1f;
        var gradient = new float[ConvFashionShapedNet.ParameterCount];
        var random = new DeterministicRandom(1);
        Assert.Equal(0, Allocations.LeastPerWindow(() =>
        {
            net.Predict(input, output);
            ConvFashionShapedNet.AccumulateBatchGradient(net.Parameters, input, target, gradient, ref random);
            ConvFashionShapedNet.SgdStep(net.Parameters, input, target, 0.01f, ref random);
        }, warmUp: 50, stepsPerWindow: 20));
    }
}
