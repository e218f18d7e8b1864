using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// The dense layer's lane form (<see cref="LayerEmitter.EmitLaneForward"/>): z = b + W_0 x_0 + W_1 x_1 + ..., where
/// W_i holds the weights from input i into each unit, repeated for each sample of the group, and x_i holds each sample's
/// input i, repeated over the sample's units. Lane (s, j) thus computes b[j] + w[j, 0] x_s[0] + w[j, 1] x_s[1] + ...,
/// the sample-by-sample sum, in its order.
/// </summary>
internal sealed partial class DenseLayerEmitter
{
    /// <summary>The most inputs or units a layer has in lane form: one sample's values fit in one vector.</summary>
    private const int MaxLaneValues = LaneCode.Lanes;

    public override int LaneWidth
        => _unrolled && _dense.Dropout <= 0f && Units <= MaxLaneValues && Inputs <= MaxLaneValues && ActivationCode.HasLaneForm(_dense.Activation)
            ? RoundUpToPowerOfTwo(Units)
            : 0;

    /// <summary>The span helpers compute tanh and sigmoid with vectors from 4 values on, and with the scalar functions below that.</summary>
    public override int LaneMinimumSamples => ActivationCode.IsVectorized(_dense.Activation) ? (4 + Units - 1) / Units : 1;

    private static int RoundUpToPowerOfTwo(int value)
    {
        int power = 1;
        while (power < value)
        {
            power *= 2;
        }
        return power;
    }

    public override IEnumerable<LaneParameters> LaneParameterVectors(LaneInput input, int samples)
    {
        int k = Number;
        yield return new LaneParameters($"bias{k}", UnitLanes(samples, j => BiasesOffset + j));
        for (int i = 0; i < Inputs; i++)
        {
            int input_ = i;
            yield return new LaneParameters($"weight{k}_{i}", UnitLanes(samples, j => ParameterOffset + j * Inputs + input_));
        }
        if (!IsFirst)
        {
            // For dL/dinput: lane (s, i) of back{k}_j holds w[j, i], the weight that unit j's delta goes back through.
            for (int j = 0; j < Units; j++)
            {
                int unit = j;
                yield return new LaneParameters($"back{k}_{j}", Enumerable.Range(0, LaneCode.Lanes)
                    .Select(lane => LaneOf(lane, input.Width, Inputs, samples) is (_, int i) ? ParameterOffset + unit * Inputs + i : -1)
                    .ToArray());
            }
        }
    }

    /// <summary>Lane (s, j) of the layer's lanes to the parameter index <paramref name="parameter"/>(j); -1 for the padding lanes.</summary>
    private int[] UnitLanes(int samples, System.Func<int, int> parameter)
        => Enumerable.Range(0, LaneCode.Lanes).Select(lane => LaneOf(lane, LaneWidth, Units, samples) is (_, int j) ? parameter(j) : -1).ToArray();

    public override void EmitLaneSetUp(IndentedWriter writer, bool fromZero)
    {
        int k = Number;
        writer.WriteLine($"Vector512<float> biasGradient{k} = {Accumulator(fromZero, LaneCode.LoadLanes(Units, "gradient", BiasesName))};");
        if (IsFirst)
        {
            // Lane j of weightGradient{k}_i sums dL/dw[j, i]: the layer's input is not a vector to spread the deltas over.
            for (int i = 0; i < Inputs; i++)
            {
                string stored = LaneCode.Vector(Enumerable.Range(0, LaneCode.Lanes).Select(lane => lane < Units ? $"gradient[{LaneCode.Plus(WeightsName, lane * Inputs + i)}]" : null).ToList());
                writer.WriteLine($"Vector512<float> weightGradient{k}_{i} = {Accumulator(fromZero, stored)};");
            }
        }
        else
        {
            // Lane i of weightGradient{k}_j sums dL/dw[j, i], a row of the weights.
            for (int j = 0; j < Units; j++)
            {
                writer.WriteLine($"Vector512<float> weightGradient{k}_{j} = {Accumulator(fromZero, LaneCode.LoadLanes(Inputs, "gradient", LaneCode.Plus(WeightsName, j * Inputs)))};");
            }
        }
    }

    public override void EmitLaneForward(IndentedWriter writer, LaneInput input, int samples)
    {
        int k = Number, width = LaneWidth;
        for (int i = 0; i < Inputs; i++)
        {
            string value = input.IsNetworkInput
                ? UnitLanes(samples, _ => null, s => $"x[{s * input.Size + i}]")
                : LaneCode.Shuffle(input.Vector!, Enumerable.Range(0, LaneCode.Lanes).Select(lane => LaneOf(lane, width, Units, samples) is (int s, _) ? s * input.Width + i : -1).ToList());
            writer.WriteLine($"Vector512<float> x{k}_{i} = {value};");
        }
        var terms = new List<string> { $"bias{k}" };
        terms.AddRange(Enumerable.Range(0, Inputs).Select(i => $"weight{k}_{i} * x{k}_{i}"));
        WriteSum(writer, $"Vector512<float> a{k} = ", terms, _dense.Activation, ActivationCode.ApplyInLanes);
    }

    public override void EmitLaneBackward(IndentedWriter writer, LaneInput input, int samples)
    {
        int k = Number, width = LaneWidth;
        if (!IsOutput && ActivationCode.MultiplyByDerivativeInLanes(_dense.Activation, $"delta{k}", $"a{k}") is { } derivative)
        {
            writer.WriteLine(derivative);
        }
        WriteSampleSum(writer, $"biasGradient{k}", $"delta{k}", width, samples);
        if (IsFirst)
        {
            for (int i = 0; i < Inputs; i++)
            {
                writer.WriteLine($"Vector512<float> product{k}_{i} = delta{k} * x{k}_{i};");
                WriteSampleSum(writer, $"weightGradient{k}_{i}", $"product{k}_{i}", width, samples);
            }
            return;
        }
        // Unit j's delta spread over its sample's inputs: lane (s, i) of spread{k}_j holds d_s[j].
        for (int j = 0; j < Units; j++)
        {
            int unit = j;
            string spread = LaneCode.Shuffle($"delta{k}", Enumerable.Range(0, LaneCode.Lanes).Select(lane => LaneOf(lane, input.Width, Inputs, samples) is (int s, _) ? s * width + unit : -1).ToList());
            writer.WriteLine($"Vector512<float> spread{k}_{j} = {spread};");
            writer.WriteLine($"Vector512<float> product{k}_{j} = spread{k}_{j} * {input.Vector};");
            WriteSampleSum(writer, $"weightGradient{k}_{j}", $"product{k}_{j}", input.Width, samples);
        }
        var terms = Enumerable.Range(0, Units).Select(j => $"back{k}_{j} * spread{k}_{j}").ToList();
        WriteSum(writer, $"Vector512<float> delta{k - 1} = ", terms, Activation.Identity, ActivationCode.ApplyInLanes);
    }

    public override IEnumerable<LaneValue> LaneGradient() => Lanes("biasGradient", "weightGradient", "weightGradient");

    /// <summary>
    /// Where each of the layer's parameters (or its gradient) sits: lane j of <paramref name="bias"/>{k} for the biases;
    /// for the weights, lane j of <paramref name="firstWeights"/>{k}_i in the first layer (whose vectors run over the
    /// units), lane i of <paramref name="rowWeights"/>{k}_j in the others (whose vectors are rows of the weights).
    /// </summary>
    private IEnumerable<LaneValue> Lanes(string bias, string firstWeights, string rowWeights)
    {
        int k = Number;
        for (int j = 0; j < Units; j++)
        {
            yield return new LaneValue(BiasesOffset + j, $"{bias}{k}", j);
        }
        for (int j = 0; j < Units; j++)
        {
            for (int i = 0; i < Inputs; i++)
            {
                yield return IsFirst
                    ? new LaneValue(ParameterOffset + j * Inputs + i, $"{firstWeights}{k}_{i}", j)
                    : new LaneValue(ParameterOffset + j * Inputs + i, $"{rowWeights}{k}_{j}", i);
            }
        }
    }

    private static string Accumulator(bool fromZero, string stored) => fromZero ? LaneCode.Zero : $"overwrite ? {LaneCode.Zero} : {stored}";

    public override IEnumerable<string> EmitLaneMean(IndentedWriter writer)
    {
        var finite = new List<string>();
        foreach ((string accumulator, int lanes) in Accumulators())
        {
            writer.WriteLine($"{accumulator} *= scale;");
            finite.Add(LanesFinite(accumulator, lanes));
        }
        return finite;
    }

    public override IEnumerable<LaneValue> EmitLaneSgdUpdate(IndentedWriter writer)
    {
        // The parameters' lane vectors hold, in their first lanes, the values each accumulator's lanes are the gradient of.
        int k = Number;
        var values = new List<LaneValue>();
        writer.WriteLine($"bias{k} -= rate * (biasGradient{k} + 0f * bias{k});");
        if (IsFirst)
        {
            for (int i = 0; i < Inputs; i++)
            {
                writer.WriteLine($"weight{k}_{i} -= rate * (weightGradient{k}_{i} + 0f * weight{k}_{i});");
            }
        }
        else
        {
            for (int j = 0; j < Units; j++)
            {
                writer.WriteLine($"back{k}_{j} -= rate * (weightGradient{k}_{j} + 0f * back{k}_{j});");
            }
        }
        values.AddRange(Lanes("bias", "weight", "back"));
        return values;
    }

    /// <summary>The layer's accumulators, with the lanes of each that hold a gradient.</summary>
    private IEnumerable<(string Name, int Lanes)> Accumulators()
    {
        int k = Number;
        yield return ($"biasGradient{k}", Units);
        if (IsFirst)
        {
            for (int i = 0; i < Inputs; i++)
            {
                yield return ($"weightGradient{k}_{i}", Units);
            }
            yield break;
        }
        for (int j = 0; j < Units; j++)
        {
            yield return ($"weightGradient{k}_{j}", Inputs);
        }
    }

    /// <summary>
    /// A vector in the layer's lanes: lane (s, j) holds <paramref name="unit"/>(j), or <paramref name="sample"/>(s) when
    /// given, for the group's samples and the layer's units; the padding lanes are not read.
    /// </summary>
    private string UnitLanes(int samples, System.Func<int, string?> unit, System.Func<int, string>? sample = null)
        => LaneCode.Vector(Enumerable.Range(0, LaneCode.Lanes)
            .Select(lane => LaneOf(lane, LaneWidth, Units, samples) is (int s, int j) ? sample?.Invoke(s) ?? unit(j) : null)
            .ToList());
}
