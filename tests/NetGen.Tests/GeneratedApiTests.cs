namespace NetGen.Tests;

/// <summary>What every generated network promises: sizes, initialization, argument checks, no allocation, threads.</summary>
public class GeneratedApiTests
{
    [Fact]
    public void Constants_describe_the_declared_network()
    {
        Assert.Equal(2, XorNet.InputSize);
        Assert.Equal(1, XorNet.OutputSize);
        Assert.Equal(2 * 4 + 4 + 4 * 1 + 1, XorNet.ParameterCount);
        Assert.Equal(784 * 128 + 128 + 128 * 10 + 10, MnistSizedNet.ParameterCount);
        Assert.Equal(XorNet.ParameterCount, new XorNet().Parameters.Length);
    }

    [Fact]
    public void Layers_describe_sizes_activations_and_offsets()
    {
        Assert.Equal(
            [
                "Dense [2] -> [4], Tanh: weight [4, 2] at 0, bias [4] at 8",
                "Dense [4] -> [1], Sigmoid: weight [1, 4] at 12, bias [1] at 16",
            ],
            XorNet.Layers.Select(l => $"{l.Kind} [{l.InputSize}] -> [{string.Join(", ", l.OutputShape)}], {l.Activation}: {string.Join(", ", l.Parameters)}"));
        Assert.Equal((0, 8, 8), (XorNet.Layers[0].WeightsOffset, XorNet.Layers[0].BiasesOffset, XorNet.Layers[0].WeightCount));
        Assert.Equal((12, 16, 4), (XorNet.Layers[1].WeightsOffset, XorNet.Layers[1].BiasesOffset, XorNet.Layers[1].WeightCount));
    }

    [Fact]
    public void A_new_instance_starts_from_the_seed_0_initialization_whatever_its_constructors()
    {
        var expected = new float[NetWithConstructors.ParameterCount];
        NetWithConstructors.InitializeParameters(expected, seed: 0);
        Assert.Equal(expected, new NetWithConstructors().Parameters);
        Assert.Equal(expected, new NetWithConstructors("named").Parameters);
        Assert.Contains(expected, p => p != 0f);
    }

    [Fact]
    public void Initialization_follows_glorot_and_he_bounds_with_zero_biases()
    {
        var parameters = new float[MnistSizedNet.ParameterCount];
        MnistSizedNet.InitializeParameters(parameters, seed: 7);
        LayerInfo hidden = MnistSizedNet.Layers[0], output = MnistSizedNet.Layers[1];
        float heLimit = MathF.Sqrt(6f / 784);            // He uniform for the ReLU layer
        float glorotLimit = MathF.Sqrt(6f / (128 + 10));  // Glorot uniform for the softmax layer
        var hiddenWeights = parameters.AsSpan(hidden.WeightsOffset, hidden.WeightCount).ToArray();
        var outputWeights = parameters.AsSpan(output.WeightsOffset, output.WeightCount).ToArray();
        Assert.All(hiddenWeights, w => Assert.InRange(w, -heLimit, heLimit));
        Assert.All(outputWeights, w => Assert.InRange(w, -glorotLimit, glorotLimit));
        // A uniform draw on [-a, a] has variance a^2 / 3; 100,352 draws pin it to within a few percent.
        double variance = hiddenWeights.Average(w => (double)w * w);
        Assert.InRange(variance, heLimit * heLimit / 3 * 0.97, heLimit * heLimit / 3 * 1.03);
        Assert.All(parameters.AsSpan(hidden.BiasesOffset, hidden.OutputSize).ToArray(), b => Assert.Equal(0f, b));
    }

    [Fact]
    public void InitializeParameters_is_deterministic_per_seed()
    {
        var net = new XorNet();
        net.InitializeParameters(42);
        float[] first = net.Parameters.ToArray();
        net.InitializeParameters(43);
        Assert.NotEqual(first, net.Parameters);
        net.InitializeParameters(42);
        Assert.Equal(first, net.Parameters);
    }

    [Fact]
    public void Wrong_span_lengths_throw_naming_the_expected_length()
    {
        var net = new XorNet();
        var input = new ArgumentException[]
        {
            Assert.Throws<ArgumentException>(() => net.Predict(new float[3], new float[1])),
            Assert.Throws<ArgumentException>(() => net.Predict(new float[2], new float[2])),
            Assert.Throws<ArgumentException>(() => net.AccumulateGradient(new float[2], new float[1], new float[16])),
            Assert.Throws<ArgumentException>(() => XorNet.Predict(new float[5], new float[2], new float[1])),
            Assert.Throws<ArgumentException>(() => net.SgdStep(new float[2], new float[3], 0.1f)),
        };
        Assert.Equal("input", input[0].ParamName);
        Assert.Contains("expects length 2", input[0].Message);
        Assert.Equal("output", input[1].ParamName);
        Assert.Contains("expects length 1", input[1].Message);
        Assert.Equal("gradient", input[2].ParamName);
        Assert.Contains("expects length 17", input[2].Message);
        Assert.Equal("parameters", input[3].ParamName);
        Assert.Equal("target", input[4].ParamName);
        Assert.Contains("expects length 1", input[4].Message);
    }

    [Fact]
    public void The_batch_entry_points_reject_wrong_lengths_and_leave_the_gradient_as_it_was()
    {
        var parameters = new XorNet().Parameters;
        var gradient = Enumerable.Range(0, XorNet.ParameterCount).Select(i => (float)i).ToArray();
        float[] before = gradient.ToArray();
        var random = new DeterministicRandom(1);
        var halfRow = Assert.Throws<ArgumentException>(() => XorNet.ComputeBatchGradient(parameters, new float[5], new float[2], gradient, ref random));
        Assert.Equal("inputs", halfRow.ParamName);
        Assert.Contains("expects length 4", halfRow.Message);
        var targets = Assert.Throws<ArgumentException>(() => XorNet.AccumulateBatchGradient(parameters, new float[4], new float[3], gradient, ref random));
        Assert.Equal("targets", targets.ParamName);
        Assert.Contains("expects length 2", targets.Message);
        var shortGradient = Assert.Throws<ArgumentException>(() => XorNet.ComputeBatchGradient(parameters, new float[4], new float[2], new float[16], ref random));
        Assert.Equal("gradient", shortGradient.ParamName);
        Assert.Contains("expects length 17", shortGradient.Message);
        Assert.Equal(before, gradient);
    }

    [Fact]
    public void Predict_AccumulateGradient_and_SgdStep_allocate_nothing_after_warm_up()
    {
        Assert.Equal(0, AllocatedBytes<XorNet>(10_000));
        Assert.Equal(0, AllocatedBytes<MnistSizedNet>(200));
        Assert.Equal(0, AllocatedBytes<M3TanhReLUSoftmaxCe>(10_000));
    }

    private static long AllocatedBytes<TNetwork>(int calls) where TNetwork : class, INetwork<TNetwork>, new()
    {
        var net = new TNetwork();
        var input = new float[TNetwork.InputSize];
        var target = new float[TNetwork.OutputSize];
        target[0] = 1f;
        var output = new float[TNetwork.OutputSize];
        var gradient = new float[TNetwork.ParameterCount];
        var random = new DeterministicRandom(1);
        for (int i = 0; i < 10; i++)
        {
            TNetwork.Predict(net.Parameters, input, output);
            TNetwork.AccumulateGradient(net.Parameters, input, target, gradient);
            TNetwork.SgdStep(net.Parameters, input, target, 0.001f, ref random);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            TNetwork.Predict(net.Parameters, input, output);
            TNetwork.AccumulateGradient(net.Parameters, input, target, gradient);
            TNetwork.SgdStep(net.Parameters, input, target, 0.001f, ref random);
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void Instance_members_use_the_instance_parameters()
    {
        var net = new XorNet();
        float[] input = [0.3f, -0.7f], target = [1f];
        var viaInstance = new float[1];
        var viaStatic = new float[1];
        net.Predict(input, viaInstance);
        XorNet.Predict(net.Parameters, input, viaStatic);
        Assert.Equal(viaStatic, viaInstance);

        var gradientInstance = new float[XorNet.ParameterCount];
        var gradientStatic = new float[XorNet.ParameterCount];
        Assert.Equal(XorNet.AccumulateGradient(net.Parameters, input, target, gradientStatic), net.AccumulateGradient(input, target, gradientInstance));
        Assert.Equal(gradientStatic, gradientInstance);
    }

    [Fact]
    public void Predict_on_a_shared_instance_is_safe_from_many_threads()
    {
        var net = new MnistSizedNet();
        var random = new DeterministicRandom(3);
        var inputs = new float[64][];
        for (int s = 0; s < inputs.Length; s++)
        {
            inputs[s] = new float[MnistSizedNet.InputSize];
            for (int i = 0; i < inputs[s].Length; i++)
            {
                inputs[s][i] = random.NextSingle();
            }
        }
        var sequential = inputs.Select(x => { var y = new float[10]; net.Predict(x, y); return y; }).ToArray();
        var parallel = new float[inputs.Length][];
        Parallel.For(0, inputs.Length * 20, new ParallelOptions { MaxDegreeOfParallelism = 4 }, n =>
        {
            var y = new float[10];
            net.Predict(inputs[n % inputs.Length], y);
            if (n >= inputs.Length * 19)
            {
                parallel[n % inputs.Length] = y;
            }
        });
        for (int s = 0; s < inputs.Length; s++)
        {
            Assert.Equal(sequential[s], parallel[s]);
        }
    }
}
