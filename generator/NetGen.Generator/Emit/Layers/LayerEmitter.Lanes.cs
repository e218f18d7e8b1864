using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// What a layer reads in the lane-form pass (<see cref="LanePassEmitter"/>): the network's input rows of the group's
/// samples (the span <c>x</c>, <see cref="Size"/> floats per sample), or the vector the layer before wrote, in which
/// sample s's value i sits in lane <see cref="Width"/> * s + i.
/// </summary>
internal sealed record LaneInput(string? Vector, int Width, int Size)
{
    public bool IsNetworkInput => Vector is null;
}

/// <summary>A vector of the lane-form pass built from parameters: lane L holds parameter <see cref="Lanes"/>[L], -1 for a lane not read.</summary>
internal sealed record LaneParameters(string Name, int[] Lanes);

/// <summary>Where the value of one parameter (or its gradient) sits in the lane-form pass: lane <see cref="Lane"/> of <see cref="Vector"/>.</summary>
internal readonly record struct LaneValue(int Parameter, string Vector, int Lane);

/// <summary>
/// A layer's part of the lane-form micro-batch pass. A layer that has one says so through <see cref="LaneWidth"/>;
/// the pass is written only when every layer of the network has one. In it, the samples go through the network a group
/// at a time, and each of a layer's values is a Vector512 whose lane <c>LaneWidth * s + j</c> holds unit j of the
/// group's sample s. Each lane must do the operations the sample-by-sample batch path does for its value, in the same
/// order, so that the two give the same bits.
/// </summary>
internal abstract partial class LayerEmitter
{
    /// <summary>
    /// The lanes one sample's outputs take in the lane-form pass: the layer's outputs rounded up to 1, 2, 4, 8 or 16;
    /// 0 when the layer has no lane form.
    /// </summary>
    public virtual int LaneWidth => 0;

    /// <summary>
    /// The fewest samples for which the sample-by-sample batch path computes this layer's activation with vectors
    /// rather than with the scalar functions, whose bits may differ; the lane-form pass runs only from that many on.
    /// </summary>
    public virtual int LaneMinimumSamples => 1;

    /// <summary>The vectors of the layer's parameters it reads in lane form, which the pass loads before the groups.</summary>
    public virtual System.Collections.Generic.IEnumerable<LaneParameters> LaneParameterVectors(LaneInput input, int samples)
        => throw new System.NotSupportedException($"{GetType().Name} has no lane form.");

    /// <summary>
    /// Before the groups: the layer's parameters as lane vectors and its gradient's accumulators (from <c>gradient</c>,
    /// or zero with <c>overwrite</c>; always zero when <paramref name="fromZero"/>, in the fused step, which has no gradient).
    /// </summary>
    public virtual void EmitLaneSetUp(IndentedWriter writer, bool fromZero)
        => throw new System.NotSupportedException($"{GetType().Name} has no lane form.");

    /// <summary>For one group: the layer's output <c>a{k}</c> from <paramref name="input"/>.</summary>
    public virtual void EmitLaneForward(IndentedWriter writer, LaneInput input, int samples)
        => throw new System.NotSupportedException($"{GetType().Name} has no lane form.");

    /// <summary>
    /// For one group, once <c>delta{k}</c> holds dL/d(the layer's output), or dL/dz for the output layer: turns it into
    /// dL/dz through the layer's activation derivative, adds the group's terms to the accumulators in sample order and,
    /// except for the first layer, declares <c>delta{k-1}</c>, dL/d(its input).
    /// </summary>
    public virtual void EmitLaneBackward(IndentedWriter writer, LaneInput input, int samples)
        => throw new System.NotSupportedException($"{GetType().Name} has no lane form.");

    /// <summary>After the groups: where each gradient value the layer summed sits, parameter index to (vector, lane).</summary>
    public virtual System.Collections.Generic.IEnumerable<LaneValue> LaneGradient()
        => throw new System.NotSupportedException($"{GetType().Name} has no lane form.");

    /// <summary>
    /// In the fused step, after the groups: each accumulator times <c>scale</c> (1/count), the gradient's mean. Returns
    /// a condition per accumulator, true when every lane it stores is finite.
    /// </summary>
    public virtual System.Collections.Generic.IEnumerable<string> EmitLaneMean(IndentedWriter writer)
        => throw new System.NotSupportedException($"{GetType().Name} has no lane form.");

    /// <summary>
    /// In the fused step, once the mean is known finite: theta -= rate * (g + 0 theta) on the lane vectors of the
    /// parameters. Returns where each updated parameter sits, for the stores.
    /// </summary>
    public virtual System.Collections.Generic.IEnumerable<LaneValue> EmitLaneSgdUpdate(IndentedWriter writer)
        => throw new System.NotSupportedException($"{GetType().Name} has no lane form.");

    /// <summary>The condition that lanes 0 .. <paramref name="count"/> - 1 of <paramref name="vector"/> are finite (x - x is 0 only for a finite x).</summary>
    protected static string LanesFinite(string vector, int count)
    {
        string mask = count == LaneCode.Lanes ? "0xFFFFu" : $"0x{(1 << count) - 1:X}u";
        return $"(Vector512.Equals({vector} - {vector}, {LaneCode.Zero}).ExtractMostSignificantBits() & {mask}) == {mask}";
    }

    /// <summary>The lanes that hold samples 0 .. <paramref name="samples"/> - 1's values 0 .. <paramref name="count"/> - 1, <paramref name="width"/> lanes per sample: lane to (sample, value), or null.</summary>
    protected static (int Sample, int Value)? LaneOf(int lane, int width, int count, int samples)
    {
        int sample = lane / width, value = lane % width;
        return sample < samples && value < count ? (sample, value) : null;
    }

    /// <summary>Lane to the lane it is read from, sample s's value from slice s of width <paramref name="width"/> moved to lanes 0 .. width - 1.</summary>
    protected static int[] SliceIndices(int sample, int width)
    {
        var from = new int[LaneCode.Lanes];
        for (int lane = 0; lane < LaneCode.Lanes; lane++)
        {
            from[lane] = lane < width ? sample * width + lane : -1;
        }
        return from;
    }

    /// <summary>
    /// <c>target = target + slice 0 + slice 1 + ...</c>: the group's samples' terms added to an accumulator in sample
    /// order, each sample's <paramref name="width"/> lanes moved down to lanes 0 .. width - 1.
    /// </summary>
    protected static void WriteSampleSum(IndentedWriter writer, string target, string terms, int width, int samples)
    {
        var parts = new System.Collections.Generic.List<string> { target };
        for (int s = 0; s < samples; s++)
        {
            parts.Add(LaneCode.Shuffle(terms, SliceIndices(s, width)));
        }
        // One term a line: each is a sample's slice, added in sample order.
        writer.WriteLines(parts.Count <= 2 ? $"{target} = {string.Join(" + ", parts)};" : $"{target} = {parts[0]}\n    + {string.Join("\n    + ", parts.Skip(1))};");
    }
}
