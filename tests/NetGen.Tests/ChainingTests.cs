using static NetGen.Tests.Reference;

namespace NetGen.Tests;

// Networks that chain every layer kind, each with dropout on exactly one hidden layer. The micro-batch pass draws a
// layer's masks for all of its samples at once; with one dropout layer that is the same stream of random numbers the
// per-sample pass draws sample after sample, so the two passes can be compared with dropout on.

/// <summary>Both convolution paddings, both poolings, Flatten and dense layers; dropout on the second convolution.</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(2, 8, 8)]
[Conv2D(3, 3, Activation.ReLU, Padding = Padding.Same)]
[AveragePool2D(2)]
[Conv2D(4, 2, Activation.Tanh, Dropout = 0.3f)]
[MaxPool2D(2, Stride = 1)]
[Flatten]
[Dense(5, Activation.Sigmoid)]
[Dense(3, Activation.Softmax)]
public partial class ChainedImageNet;

/// <summary>Every recurrent cell after an embedding, a mean over the steps, and dropout on a dense layer.</summary>
[Network]
[Input(6)]
[Embedding(9, 4)]
[SimpleRnn(4, Activation.Tanh, ReturnSequences = true)]
[Gru(5, ReturnSequences = true)]
[Lstm(3, ReturnSequences = true)]
[GlobalAveragePool]
[Dense(4, Activation.ReLU, Dropout = 0.3f)]
[Dense(2)]
public partial class ChainedSequenceNet;

/// <summary>A mean that skips padding tokens: a layer whose backward pass reads the network's input.</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(7)]
[Embedding(11, 5, PaddingIndex = 0)]
[GlobalAveragePool]
[Dense(6, Activation.Tanh, Dropout = 0.25f)]
[Dense(3, Activation.Softmax)]
public partial class ChainedPaddedTokensNet;

/// <summary>
/// The per-sample pass (AccumulateGradient) and the micro-batch pass (AccumulateBatchGradient) are written by the same
/// chaining code in the generator; these tests would catch them drifting apart: a layer's mask or activation
/// derivative applied in one and not the other, a layer fed the wrong buffer, the network's input not passed.
/// </summary>
public class ChainingTests
{
    /// <summary>Two full micro-batches and a partial one for any micro-batch size up to 64.</summary>
    private const int Count = 133;

    public static TheoryData<string> Networks => new(Cases.Keys);

    private static readonly Dictionary<string, (IShapedNetworkCase Network, int Vocabulary)> Cases = new()
    {
        [nameof(ChainedImageNet)] = (new ShapedNetworkCase<ChainedImageNet>(), 0),
        [nameof(ChainedSequenceNet)] = (new ShapedNetworkCase<ChainedSequenceNet>(), 9),
        [nameof(ChainedPaddedTokensNet)] = (new ShapedNetworkCase<ChainedPaddedTokensNet>(), 11),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void The_batch_gradient_with_dropout_is_the_sum_of_the_per_sample_gradients(string network)
    {
        var (net, vocabulary) = Cases[network];
        var random = new Random(17);
        float[] parameters = net.RandomParameters(seed: 4);
        // Token ids for an embedding (0 is the padding token of ChainedPaddedTokensNet), else values in [-1, 1].
        float[] inputs = vocabulary > 0
            ? Enumerable.Range(0, Count * net.InputSize).Select(_ => (float)random.Next(vocabulary)).ToArray()
            : RandomValues(random, Count * net.InputSize);
        float[] targets = Enumerable.Range(0, Count).SelectMany(_ => net.RandomTarget(random)).ToArray();

        var perSample = new float[net.ParameterCount];
        var withoutDropout = new float[net.ParameterCount];
        var sampleRandom = new DeterministicRandom(23);
        float perSampleLoss = 0f;
        for (int s = 0; s < Count; s++)
        {
            ReadOnlySpan<float> input = inputs.AsSpan(s * net.InputSize, net.InputSize);
            ReadOnlySpan<float> target = targets.AsSpan(s * net.OutputSize, net.OutputSize);
            perSampleLoss += net.AccumulateGradient(parameters, input, target, perSample, ref sampleRandom);
            net.AccumulateGradient(parameters, input, target, withoutDropout);
        }
        var batch = new float[net.ParameterCount];
        var batchRandom = new DeterministicRandom(23);
        float batchLoss = net.ComputeBatchGradient(parameters, inputs, targets, batch, ref batchRandom);

        // The same masks: both passes drew the same count of random numbers, and dropout changed the gradient.
        Assert.Equal(sampleRandom.NextUInt32(), batchRandom.NextUInt32());
        Assert.True(MaxDifference(perSample, withoutDropout) > 1e-3f * perSample.Max(Math.Abs), "dropout left the gradient as it was");
        Assert.Equal(perSampleLoss, batchLoss, 1e-4f * Math.Max(1f, Math.Abs(perSampleLoss)));
        // The same terms summed in another order: equal to rounding.
        AssertClose(perSample.Select(v => (double)v).ToArray(), batch, $"{network} batch gradient", 1e-5);
    }

    private static float MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
}
