namespace NetGen.Tests;

/// <summary>
/// ComputeBatchGradient on the networks outside <see cref="NetworkCases"/>: dropout (the masks must come out of the
/// generator as in AccumulateBatchGradient), custom losses, and a network whose micro-batch is 32 rows.
/// </summary>
public class ComputeBatchGradientTests
{
    public static TheoryData<int> Counts => new() { 1, 37, 133 };

    [Theory]
    [MemberData(nameof(Counts))]
    public void Writes_what_AccumulateBatchGradient_adds_to_zeros_for_dropout_custom_loss_and_large_networks(int count)
    {
        Check<DropoutNet>(count);
        Check<MnistDropoutNet>(count);
        Check<HuberNet>(count);
        Check<SquaredSoftmaxNet>(count);
        Check<MnistSizedNet>(count);
    }

    private static void Check<TNetwork>(int count) where TNetwork : class, INetwork<TNetwork>
    {
        var random = new DeterministicRandom(count);
        var parameters = new float[TNetwork.ParameterCount];
        TNetwork.InitializeParameters(parameters, seed: count);
        var inputs = new float[count * TNetwork.InputSize];
        var targets = new float[count * TNetwork.OutputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = 2f * random.NextSingle() - 1f;
        }
        for (int s = 0; s < count; s++)
        {
            targets[s * TNetwork.OutputSize + random.NextInt32(TNetwork.OutputSize)] = 1f;
        }

        var added = new float[TNetwork.ParameterCount];
        var masks = new DeterministicRandom(9);
        float addedLoss = TNetwork.AccumulateBatchGradient(parameters, inputs, targets, added, ref masks);
        var written = Enumerable.Repeat(float.NaN, TNetwork.ParameterCount).ToArray();
        var sameMasks = new DeterministicRandom(9);
        float writtenLoss = TNetwork.ComputeBatchGradient(parameters, inputs, targets, written, ref sameMasks);

        Assert.Equal(addedLoss, writtenLoss);
        Assert.True(masks.SameState(sameMasks), $"{typeof(TNetwork).Name}: the two draw different numbers of masks");
        Assert.False(added.All(g => g == 0f), $"{typeof(TNetwork).Name}: the gradient is all zeros, so the test would show nothing");
        Assert.True(added.AsSpan().SequenceEqual(written), $"{typeof(TNetwork).Name}, {count} samples: ComputeBatchGradient differs from AccumulateBatchGradient into zeros");
    }
}
