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
        AssertWritesWhatAccumulateAdds<TNetwork>(parameters, inputs, targets);
    }

    /// <summary>
    /// ComputeBatchGradient into a gradient full of NaN gives bitwise what AccumulateBatchGradient adds to zeros, with the
    /// same loss and the same dropout masks drawn (the old values must never be read); zeros for no rows.
    /// </summary>
    internal static void AssertWritesWhatAccumulateAdds<TNetwork>(float[] parameters, float[] inputs, float[] targets)
        where TNetwork : class, INetwork<TNetwork>
    {
        string name = $"{typeof(TNetwork).Name}, {inputs.Length / TNetwork.InputSize} samples";
        var added = new float[TNetwork.ParameterCount];
        var masks = new DeterministicRandom(9);
        float addedLoss = TNetwork.AccumulateBatchGradient(parameters, inputs, targets, added, ref masks);
        var written = Enumerable.Repeat(float.NaN, TNetwork.ParameterCount).ToArray();
        var sameMasks = new DeterministicRandom(9);
        float writtenLoss = TNetwork.ComputeBatchGradient(parameters, inputs, targets, written, ref sameMasks);

        Assert.Equal(addedLoss, writtenLoss);
        Assert.True(masks.SameState(sameMasks), $"{name}: the two draw different numbers of masks");
        if (inputs.Length > 0)
        {
            Assert.False(added.All(g => g == 0f), $"{name}: the gradient is all zeros, so the comparison would show nothing");
        }
        Assert.True(added.AsSpan().SequenceEqual(written), $"{name}: ComputeBatchGradient differs from AccumulateBatchGradient into zeros");
    }
}
