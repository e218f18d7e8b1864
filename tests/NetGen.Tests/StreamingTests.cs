namespace NetGen.Tests;

/// <summary>
/// The streaming members of recurrent networks: <c>StreamState</c> and <c>Step</c> against <c>Predict</c> on the whole
/// sequence (bitwise at its last step), on a shorter one (the output as if the sequence ended there) and on a longer one
/// (past the declared steps), and their allocations.
/// </summary>
public class StreamingTests
{
    private static float[] RandomValues(int seed, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>Feeds every step of <paramref name="sequence"/> through <paramref name="step"/> and returns the last output.</summary>
    private static float[] Stream(float[] sequence, int features, int outputs, StepFunction step)
    {
        var output = new float[outputs];
        for (int t = 0; t < sequence.Length / features; t++)
        {
            step(sequence.AsSpan(t * features, features), output);
        }
        return output;
    }

    private delegate void StepFunction(ReadOnlySpan<float> stepInput, Span<float> output);

    [Fact]
    public void Streaming_a_GRU_gives_bitwise_Predicts_output_at_the_last_step()
    {
        var net = new GruNet();
        net.InitializeParameters(seed: 4);
        float[] sequence = RandomValues(1, GruNet.InputSize);
        var expected = new float[GruNet.OutputSize];
        net.Predict(sequence, expected);
        var state = default(GruNet.StreamState);
        float[] streamed = Stream(sequence, 4, GruNet.OutputSize, (x, output) => net.Step(ref state, x, output));
        Assert.Equal(expected, streamed);
    }

    [Fact]
    public void Streaming_stacked_LSTM_and_GRU_layers_gives_bitwise_Predicts_output()
    {
        var net = new StackedRecurrentNet();
        net.InitializeParameters(seed: 5);
        float[] sequence = RandomValues(2, StackedRecurrentNet.InputSize);
        var expected = new float[StackedRecurrentNet.OutputSize];
        net.Predict(sequence, expected);
        var state = default(StackedRecurrentNet.StreamState);
        Assert.Equal(expected, Stream(sequence, 3, 3, (x, output) => net.Step(ref state, x, output)));
    }

    [Fact]
    public void Streaming_a_long_LSTM_and_a_simple_RNN_with_dense_layers_after_it_give_bitwise_Predicts_output()
    {
        var lstm = new LongLstmNet();
        float[] sequence = RandomValues(3, LongLstmNet.InputSize);
        var expected = new float[LongLstmNet.OutputSize];
        lstm.Predict(sequence, expected);
        var lstmState = default(LongLstmNet.StreamState);
        Assert.Equal(expected, Stream(sequence, 28, 10, (x, output) => lstm.Step(ref lstmState, x, output)));

        var rnn = new RecurrentDropoutNet();
        float[] rnnSequence = RandomValues(4, RecurrentDropoutNet.InputSize);
        var rnnExpected = new float[RecurrentDropoutNet.OutputSize];
        rnn.Predict(rnnSequence, rnnExpected);
        var rnnState = default(RecurrentDropoutNet.StreamState);
        Assert.Equal(rnnExpected, Stream(rnnSequence, 3, 2, (x, output) => rnn.Step(ref rnnState, x, output)));
    }

    [Fact]
    public void After_each_step_the_output_is_what_Predict_gives_for_the_sequence_so_far_even_past_the_declared_steps()
    {
        var net = new GruNet();
        net.InitializeParameters(seed: 6);
        float[] sequence = RandomValues(5, GruNineStepNet.InputSize);
        var state = default(GruNet.StreamState);
        var output = new float[2];
        var expected = new float[2];
        for (int t = 0; t < 9; t++)
        {
            net.Step(ref state, sequence.AsSpan(t * 4, 4), output);
            if (t == 2)
            {
                GruThreeStepNet.Predict(net.Parameters, sequence.AsSpan(0, GruThreeStepNet.InputSize), expected);
                Assert.Equal(expected, output);
            }
        }
        GruNineStepNet.Predict(net.Parameters, sequence, expected);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Reset_and_default_start_from_the_zero_state_and_a_copy_saves_the_streams_place()
    {
        var net = new LstmNet();
        net.InitializeParameters(seed: 7);
        float[] sequence = RandomValues(6, LstmNet.InputSize);
        var state = default(LstmNet.StreamState);
        var output = new float[3];
        var first = Stream(sequence, 3, 3, (x, o) => net.Step(ref state, x, o));
        LstmNet.StreamState saved = state;
        net.Step(ref state, sequence.AsSpan(0, 3), output);
        Assert.NotEqual(first, output);

        state.Reset();
        Assert.Equal(first, Stream(sequence, 3, 3, (x, o) => net.Step(ref state, x, o)));
        net.Step(ref saved, sequence.AsSpan(0, 3), first);
        Assert.Equal(output, first);
    }

    [Fact]
    public void Step_checks_the_lengths_of_its_spans()
    {
        var net = new GruNet();
        var state = default(GruNet.StreamState);
        var error = Assert.Throws<ArgumentException>(() => net.Step(ref state, new float[3], new float[2]));
        Assert.Equal("stepInput", error.ParamName);
        Assert.Throws<ArgumentException>(() => net.Step(ref state, new float[4], new float[3]));
    }

    [Fact]
    public void Only_networks_whose_recurrent_layers_end_in_one_vector_stream()
    {
        Assert.NotNull(typeof(GruNet).GetNestedType("StreamState"));
        Assert.Null(typeof(RnnReluSequenceNet).GetNestedType("StreamState"));
        Assert.Null(typeof(RnnReluSequenceNet).GetMethod("Step"));
        Assert.Null(typeof(ConvValidNet).GetMethod("Step"));
    }

    [Fact]
    public void Streaming_gives_bitwise_Predicts_output_on_every_width_of_the_whole_sequence_projection()
    {
        // The 8 features and the 16 units take the 256-bit and 512-bit paths of the projection (7 steps: some left over
        // after the blocks of steps); WideLstmNet's 16 features over 5 steps, one block of four and one step left.
        var net = new ProjectedRecurrentNet();
        net.InitializeParameters(seed: 11);
        float[] sequence = RandomValues(12, ProjectedRecurrentNet.InputSize);
        var expected = new float[ProjectedRecurrentNet.OutputSize];
        net.Predict(sequence, expected);
        var state = default(ProjectedRecurrentNet.StreamState);
        Assert.Equal(expected, Stream(sequence, 8, 2, (x, output) => net.Step(ref state, x, output)));

        var wide = new WideLstmNet();
        wide.InitializeParameters(seed: 13);
        float[] wideSequence = RandomValues(14, WideLstmNet.InputSize);
        var wideExpected = new float[WideLstmNet.OutputSize];
        wide.Predict(wideSequence, wideExpected);
        var wideState = default(WideLstmNet.StreamState);
        Assert.Equal(wideExpected, Stream(wideSequence, 16, 3, (x, output) => wide.Step(ref wideState, x, output)));
    }

    [Fact]
    public void A_step_allocates_nothing()
    {
        var net = new StackedRecurrentNet();
        var state = default(StackedRecurrentNet.StreamState);
        var input = new float[3];
        var output = new float[3];
        for (int i = 0; i < 50; i++)
        {
            net.Step(ref state, input, output);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            net.Step(ref state, input, output);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
