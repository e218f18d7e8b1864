using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// Emits the streaming members of a recurrent network: the nested <c>StreamState</c> struct, every recurrent layer's
/// state inline (default is the zero state), and <c>Step</c>, which feeds one step through the recurrent layers and
/// the dense layers after them. A network streams when it is recurrent layers from the input (all but the last with
/// ReturnSequences) followed by dense layers only: then the output after a step is what Predict gives for the sequence
/// read so far, because each layer's state after a step is the state Predict reaches at that step.
/// </summary>
internal static class StreamingEmitter
{
    public const string StateType = "StreamState";
    public const string StepMethod = "Step";

    /// <summary>The member names only a streaming network declares.</summary>
    public static readonly string[] MemberNames = { StateType, StepMethod };

    /// <summary>Whether the network gets StreamState and Step (see the class's summary).</summary>
    public static bool Streams(IReadOnlyList<LayerModel> layers)
    {
        int recurrent = 0;
        while (recurrent < layers.Count && layers[recurrent] is RecurrentLayerModel)
        {
            recurrent++;
        }
        return recurrent > 0
               && !((RecurrentLayerModel)layers[recurrent - 1]).ReturnSequences
               && layers.Skip(recurrent).All(l => l is DenseLayerModel);
    }

    public static void Emit(IndentedWriter writer, NetworkModel model, List<LayerEmitter> layers)
    {
        if (!Streams(model.Layers.ToList()))
        {
            return;
        }
        var recurrent = layers.OfType<RecurrentLayerEmitter>().ToList();
        int features = recurrent[0].Recurrent.Features;
        int stateSize = recurrent.Sum(r => r.StateSize);

        writer.WriteLine();
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// The state of a sequence read one step at a time with <see cref=\"Step(ref StreamState, ReadOnlySpan{float}, Span{float})\"/>:");
        writer.WriteLine("/// every recurrent layer's hidden state (and an LSTM's cell state). <c>default(StreamState)</c> is the zero state every");
        writer.WriteLine("/// sequence starts from. A value type with its numbers inline: copying it saves a stream's place, and it allocates nothing.");
        writer.WriteLine("/// </summary>");
        using (writer.Block($"public struct {StateType}"))
        {
            writer.WriteLine("/// <summary>Every recurrent layer's state, layer after layer: h, then c for an LSTM.</summary>");
            writer.WriteLine("internal Values State;");
            writer.WriteLine();
            writer.WriteLine("/// <summary>Back to the zero state, to start a new sequence.</summary>");
            writer.WriteLine("public void Reset() => this = default;");
            writer.WriteLine();
            writer.WriteLine($"/// <summary>The {stateSize} floats of state, inline.</summary>");
            writer.WriteLine($"[InlineArray({stateSize})]");
            using (writer.Block("internal struct Values"))
            {
                writer.WriteLine("private float _first;");
            }
        }
        writer.WriteLine();
        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// Reads the next step of a sequence ({features} features) into <paramref name=\"state\"/> and writes what Predict would give");
        writer.WriteLine("/// for the steps read so far, as if the sequence ended there: after the declared number of steps, bitwise Predict's output.");
        writer.WriteLine("/// It may run past the declared number of steps. Allocates nothing.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine("/// <exception cref=\"ArgumentException\">A span's length is not the number of features per step or OutputSize.</exception>");
        writer.WriteLine($"public void {StepMethod}(ref {StateType} state, ReadOnlySpan<float> stepInput, Span<float> output) => {StepMethod}({NetworkEmitter.ParametersField}, ref state, stepInput, output);");
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Reads the next step of a sequence with the given parameters (ParameterCount of them); see the instance method.</summary>");
        using (writer.Block($"public static void {StepMethod}(ReadOnlySpan<float> parameters, ref {StateType} state, ReadOnlySpan<float> stepInput, Span<float> output)"))
        {
            writer.WriteLine("global::NetGen.CompilerServices.ArgumentLength.Check(parameters.Length, ParameterCount, nameof(parameters));");
            writer.WriteLine($"global::NetGen.CompilerServices.ArgumentLength.Check(stepInput.Length, {features}, nameof(stepInput));");
            writer.WriteLine("global::NetGen.CompilerServices.ArgumentLength.Check(output.Length, OutputSize, nameof(output));");
            writer.WriteLine("Span<float> values = state.State;");
            string input = "stepInput";
            int offset = 0;
            foreach (RecurrentLayerEmitter layer in recurrent)
            {
                int k = layer.Number;
                writer.WriteLine($"Span<float> gates{k} = stackalloc float[{layer.CellScratch}];");
                writer.WriteLine($"Span<float> sums{k} = stackalloc float[{layer.SumScratch}];");
                writer.WriteLine($"{NetworkEmitter.KernelsClass}.{layer.CellName}(parameters, {input}, values.Slice({offset}, {layer.StateSize}), gates{k}, sums{k});");
                input = $"values.Slice({offset}, {layer.Recurrent.Units})";
                offset += layer.StateSize;
            }
            var dense = layers.Skip(recurrent.Count).ToList();
            foreach (LayerEmitter layer in dense.Take(dense.Count - 1))
            {
                writer.WriteLine($"Span<float> hidden{layer.Number} = stackalloc float[{layer.Layer.OutputSize}];");
            }
            writer.WriteLine("Span<float> logits = stackalloc float[OutputSize];");
            foreach (LayerEmitter layer in dense)
            {
                string target = layer.IsOutput ? "logits, output" : $"hidden{layer.Number}";
                writer.WriteLine($"{NetworkEmitter.KernelsClass}.{layer.ForwardName}(parameters, {input}, {target});");
                input = $"hidden{layer.Number}";
            }
        }
    }
}
