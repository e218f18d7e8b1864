using System.Runtime.Intrinsics;

namespace NetGen.Tests;

// Networks with a dense layer of at least 8192 weights, which the prediction layout packs, and one without. Between
// them: ReLU applied unit by unit, tanh over the span, an identity layer whose affine kernel takes only the widths that
// divide its 100 inputs (4 lanes even where 16 are there), inputs that leave a scalar tail (523 = 32 x 16 + 11),
// units that leave 4-row and single-row blocks (20 = 2 x 8 + 4, 27 = 3 x 8 + 3), and a convolution before the packed
// layer, which reads the packed vector at its usual offsets.
[Network(Loss = Loss.CrossEntropy)] [Input(784)] [Dense(128, Activation.ReLU)] [Dense(10, Activation.Softmax)] public partial class PackedMnistMlp;
[Network] [Input(523)] [Dense(20, Activation.Tanh)] [Dense(3)] public partial class PackedTailNet;
[Network] [Input(100)] [Dense(96)] [Dense(27, Activation.Sigmoid)] [Dense(2)] public partial class PackedAffineNet;
[Network(Loss = Loss.CrossEntropy)] [Input(1, 12, 12)] [Conv2D(8, 3, Activation.ReLU)] [Flatten] [Dense(16, Activation.ReLU)] [Dense(3, Activation.Softmax)] public partial class PackedAfterConvNet;
[Network] [Input(8)] [Dense(16, Activation.ReLU)] [Dense(1)] public partial class UnpackedSmallNet;

/// <summary>
/// <see cref="Predictor{TNetwork}"/> and the prediction layout: the same outputs as Predict, bit for bit, at whatever
/// vector width the machine runs (the suite also runs with AVX-512, AVX2 or all intrinsics off); the layout a
/// permutation of the parameters as RowBlockPacking's documentation states it; the copy's semantics; the errors.
/// </summary>
public class PredictorTests
{
    [Fact]
    public void The_predictor_gives_Predicts_bits()
    {
        CheckBitwise<PackedMnistMlp>();
        CheckBitwise<PackedTailNet>();
        CheckBitwise<PackedAffineNet>();
        CheckBitwise<PackedAfterConvNet>();
        CheckBitwise<UnpackedSmallNet>();
    }

    [Fact]
    public void Networks_with_a_large_dense_layer_pack_and_small_ones_do_not()
    {
        Assert.True(Predictor<PackedMnistMlp>.ReordersWeights);
        Assert.True(Predictor<PackedTailNet>.ReordersWeights);
        Assert.True(Predictor<PackedAffineNet>.ReordersWeights);
        Assert.True(Predictor<PackedAfterConvNet>.ReordersWeights);
        Assert.False(Predictor<UnpackedSmallNet>.ReordersWeights);
    }

    [Fact]
    public void The_layout_is_the_documented_permutation_of_the_weights()
    {
        // PackedTailNet's first layer: 20 rows of 523, chunks as wide as the widest vector of the machine (523 > 16).
        int lanes = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : Vector128.IsHardwareAccelerated ? 4 : 1;
        var net = new PackedTailNet();
        net.InitializeParameters(5);
        var packed = new float[PackedTailNet.ParameterCount];
        PackedTailNet.PackForPrediction(net.Parameters, packed);

        const int rowLength = 523;
        int vectorEnd = rowLength - rowLength % lanes;
        int tail = rowLength - vectorEnd;
        float[] p = net.Parameters;
        for (int row = 0; row < 20; row++)
        {
            for (int column = 0; column < rowLength; column++)
            {
                int expected;
                if (row >= 16)
                {
                    expected = row * rowLength + column; // after the last whole block of 8: unchanged
                }
                else
                {
                    int blockStart = row / 8 * 8 * rowLength;
                    int r = row % 8;
                    expected = column < vectorEnd
                        ? blockStart + (column / lanes * 8 + r) * lanes + column % lanes
                        : blockStart + vectorEnd * 8 + r * tail + (column - vectorEnd);
                }
                Assert.Equal(p[row * rowLength + column], packed[expected]);
            }
        }
        // Everything after the first layer's weights (its biases, the second layer) is where it was.
        Assert.True(p.AsSpan(20 * rowLength).SequenceEqual(packed.AsSpan(20 * rowLength)));
        if (lanes > 1)
        {
            Assert.False(p.AsSpan(0, 16 * rowLength).SequenceEqual(packed.AsSpan(0, 16 * rowLength)));
        }
    }

    [Fact]
    public void Every_network_packs_to_a_permutation_of_its_parameters()
    {
        CheckPermutation<PackedMnistMlp>();
        CheckPermutation<PackedAffineNet>();
        CheckPermutation<PackedAfterConvNet>();
        CheckPermutation<UnpackedSmallNet>();
    }

    [Fact]
    public void The_predictor_holds_a_copy_until_updated()
    {
        var net = new PackedMnistMlp();
        net.InitializeParameters(1);
        var predictor = new Predictor<PackedMnistMlp>(net);
        float[] input = RandomInput(PackedMnistMlp.InputSize, 2);
        var before = new float[PackedMnistMlp.OutputSize];
        predictor.Predict(input, before);

        net.InitializeParameters(3);
        var stale = new float[PackedMnistMlp.OutputSize];
        predictor.Predict(input, stale);
        Assert.Equal(before, stale);

        predictor.Update(net);
        var updated = new float[PackedMnistMlp.OutputSize];
        predictor.Predict(input, updated);
        var expected = new float[PackedMnistMlp.OutputSize];
        net.Predict(input, expected);
        Assert.Equal(expected, updated);
        Assert.NotEqual(before, updated);
    }

    [Fact]
    public void Bad_lengths_name_the_span_and_the_expected_length_and_change_nothing()
    {
        var net = new PackedTailNet();
        var predictor = new Predictor<PackedTailNet>(net);
        float[] input = RandomInput(PackedTailNet.InputSize, 4);
        var before = new float[PackedTailNet.OutputSize];
        predictor.Predict(input, before);

        var error = Assert.Throws<ArgumentException>(() => predictor.Update(new float[PackedTailNet.ParameterCount - 1]));
        Assert.Contains($"length {PackedTailNet.ParameterCount - 1}", error.Message);
        Assert.Contains($"expects length {PackedTailNet.ParameterCount}", error.Message);
        var after = new float[PackedTailNet.OutputSize];
        predictor.Predict(input, after);
        Assert.Equal(before, after);

        error = Assert.Throws<ArgumentException>(() => predictor.Predict(new float[PackedTailNet.InputSize + 1], after));
        Assert.Equal("input", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => predictor.Predict(input, new float[1]));
        Assert.Equal("output", error.ParamName);
        Assert.Throws<ArgumentException>(() => new Predictor<PackedTailNet>(new float[3]));
        Assert.Throws<ArgumentNullException>(() => new Predictor<PackedTailNet>((PackedTailNet)null!));

        var same = new float[PackedTailNet.ParameterCount];
        error = Assert.Throws<ArgumentException>(() => PackedTailNet.PackForPrediction(same, same));
        Assert.Contains("overlaps", error.Message);
        error = Assert.Throws<ArgumentException>(() => PackedTailNet.PredictPacked(new float[5], input, after));
        Assert.Equal("packed", error.ParamName);
    }

    [Fact]
    public void The_predicted_class_is_the_networks()
    {
        var net = new PackedMnistMlp();
        net.InitializeParameters(9);
        var predictor = new Predictor<PackedMnistMlp>(net);
        var classes = new HashSet<int>();
        for (int sample = 0; sample < 200; sample++)
        {
            float[] input = RandomInput(PackedMnistMlp.InputSize, 500 + sample);
            int predicted = predictor.PredictClass(input);
            Assert.Equal(net.PredictClass(input), predicted);
            classes.Add(predicted);
        }
        Assert.True(classes.Count > 1, "every input got the same class: the comparison would not see a wrong argmax");
        Assert.Equal(0, Allocations.LeastPerWindow(() => predictor.PredictClass(RandomInputs.Mnist)));
    }

    [Theory]
    [InlineData(5)]   // below the count that repays the packing: the network's own parameters
    [InlineData(100)] // the prediction layout, from the shared pool
    public void Predictions_over_a_data_set_are_the_per_sample_bits(int count)
    {
        var net = new PackedMnistMlp();
        net.InitializeParameters(13);
        float[] features = RandomInput(count * PackedMnistMlp.InputSize, 14);
        var data = new DataSet(features, new float[count * PackedMnistMlp.OutputSize], PackedMnistMlp.InputSize, PackedMnistMlp.OutputSize);
        var outputs = new float[count * PackedMnistMlp.OutputSize];
        var classes = new int[count];
        net.Predict(data, outputs);
        net.PredictClasses(data, classes);
        var expected = new float[PackedMnistMlp.OutputSize];
        for (int s = 0; s < count; s++)
        {
            net.Predict(data.GetFeatures(s), expected);
            Assert.Equal(expected, outputs.AsSpan(s * PackedMnistMlp.OutputSize, PackedMnistMlp.OutputSize).ToArray());
            Assert.Equal(net.PredictClass(data.GetFeatures(s)), classes[s]);
        }
        Assert.Equal(0, Allocations.LeastPerWindow(() => net.Predict(data, outputs), warmUp: 20, stepsPerWindow: 5));
        Assert.Equal(0, Allocations.LeastPerWindow(() => net.PredictClasses(data, classes), warmUp: 20, stepsPerWindow: 5));
    }

    [Fact]
    public void Predict_allocates_nothing()
    {
        var predictor = new Predictor<PackedMnistMlp>(new PackedMnistMlp());
        float[] input = RandomInput(PackedMnistMlp.InputSize, 6);
        var output = new float[PackedMnistMlp.OutputSize];
        Assert.Equal(0, Allocations.LeastPerWindow(() => predictor.Predict(input, output)));
    }

    [Fact]
    public void Many_threads_predict_at_once_and_agree()
    {
        var net = new PackedAfterConvNet();
        net.InitializeParameters(8);
        var predictor = new Predictor<PackedAfterConvNet>(net);
        var inputs = Enumerable.Range(0, 64).Select(i => RandomInput(PackedAfterConvNet.InputSize, 100 + i)).ToArray();
        var expected = inputs.Select(input =>
        {
            var output = new float[PackedAfterConvNet.OutputSize];
            net.Predict(input, output);
            return output;
        }).ToArray();
        Parallel.For(0, 4, worker =>
        {
            var output = new float[PackedAfterConvNet.OutputSize];
            for (int round = 0; round < 20; round++)
            {
                for (int i = 0; i < inputs.Length; i++)
                {
                    predictor.Predict(inputs[i], output);
                    Assert.Equal(expected[i], output);
                }
            }
        });
    }

    private static void CheckBitwise<TNetwork>() where TNetwork : class, INetwork<TNetwork>, new()
    {
        var net = new TNetwork();
        TNetwork.InitializeParameters(net.Parameters, 11);
        var random = new Random(12);
        for (int i = 0; i < net.Parameters.Length; i++)
        {
            net.Parameters[i] += (float)(random.NextDouble() - 0.5) * 0.01f; // biases away from zero too
        }
        var predictor = new Predictor<TNetwork>(net);
        var expected = new float[TNetwork.OutputSize];
        var actual = new float[TNetwork.OutputSize];
        for (int sample = 0; sample < 50; sample++)
        {
            float[] input = RandomInput(TNetwork.InputSize, 1000 + sample);
            TNetwork.Predict(net.Parameters, input, expected);
            predictor.Predict(input, actual);
            for (int j = 0; j < expected.Length; j++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[j]) == BitConverter.SingleToInt32Bits(actual[j]),
                    $"{typeof(TNetwork).Name}, sample {sample}, output {j}: Predict {expected[j]:R}, Predictor {actual[j]:R}");
            }
        }
    }

    private static void CheckPermutation<TNetwork>() where TNetwork : class, INetwork<TNetwork>, new()
    {
        var net = new TNetwork();
        TNetwork.InitializeParameters(net.Parameters, 21);
        var packed = new float[TNetwork.ParameterCount];
        TNetwork.PackForPrediction(net.Parameters, packed);
        Assert.Equal(net.Parameters.Order(), packed.Order());
        foreach (LayerInfo layer in TNetwork.Layers)
        {
            foreach (ParameterBlock block in layer.Parameters)
            {
                if (block.Role != ParameterRole.Weight || layer.Kind != LayerKind.Dense)
                {
                    Assert.True(net.Parameters.AsSpan(block.Offset, block.Count).SequenceEqual(packed.AsSpan(block.Offset, block.Count)),
                        $"{typeof(TNetwork).Name}: {block.Name} of a {layer.Kind} layer moved");
                }
            }
        }
        if (!TNetwork.PacksForPrediction)
        {
            Assert.Equal(net.Parameters, packed);
        }
    }

    private static class RandomInputs
    {
        public static readonly float[] Mnist = RandomInput(PackedMnistMlp.InputSize, 77);
    }

    private static float[] RandomInput(int size, int seed) => Reference.RandomValues(new Random(seed), size);
}
