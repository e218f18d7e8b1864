using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// The prediction layout's members, for a network with a layer that packs (<see cref="LayerEmitter.PacksForPrediction"/>):
/// INetwork's PacksForPrediction, PackForPrediction and PredictPacked, which the runtime's <c>Predictor</c> calls.
/// Other networks keep INetwork's defaults, a copy and Predict.
/// </summary>
internal static partial class NetworkEmitter
{
    public const string PacksForPredictionName = "PacksForPrediction";

    public const string PackForPredictionName = "PackForPrediction";

    public const string PredictPackedName = "PredictPacked";

    private static void EmitPackedPrediction(IndentedWriter writer, NetworkModel model, List<LayerEmitter> layers)
    {
        var packing = layers.Where(layer => layer.PacksForPrediction).ToList();
        if (packing.Count == 0)
        {
            return;
        }
        var numberList = packing.Select(layer => layer.Number.ToString()).ToList();
        string numbers = numberList.Count == 1 ? numberList[0] : string.Join(", ", numberList.Take(numberList.Count - 1)) + " and " + numberList[numberList.Count - 1];
        writer.WriteLines($$"""
            /// <summary>True: PackForPrediction reorders the weights of layer{{(packing.Count == 1 ? "" : "s")}} {{numbers}}, which PredictPacked reads as one stream per block of 8 units.</summary>
            {{EditorBrowsableNever}}
            public static bool {{PacksForPredictionName}} => true;

            /// <summary>
            /// Writes <paramref name="parameters"/> into <paramref name="packed"/> in the prediction layout: every float in its
            /// usual place except the weights of layer{{(packing.Count == 1 ? "" : "s")}} {{numbers}}, whose blocks of 8 rows are stored chunk by chunk,
            /// each chunk as wide as the vectors of this machine. Keep it in memory; never save it.
            /// </summary>
            /// <exception cref="ArgumentException">A span's length is not ParameterCount, or the two overlap.</exception>
            {{EditorBrowsableNever}}
            public static void {{PackForPredictionName}}(ReadOnlySpan<float> parameters, Span<float> packed)
            """);
        using (writer.Block())
        {
            writer.WriteLine("global::NetGen.CompilerServices.RowBlockPacking.Begin(parameters, packed, ParameterCount);");
            foreach (LayerEmitter layer in packing)
            {
                layer.EmitPacking(writer);
            }
        }
        writer.WriteLine();
        writer.WriteLines($$"""
            /// <summary>Predict from the layout PackForPrediction wrote: the same output, bit for bit, each packed block read as one stream.</summary>
            /// <exception cref="ArgumentException">A span's length is not ParameterCount, InputSize or OutputSize.</exception>
            {{EditorBrowsableNever}}
            {{Optimized}}
            public static void {{PredictPackedName}}(ReadOnlySpan<float> packed, ReadOnlySpan<float> input, Span<float> output)
            """);
        using (writer.Block())
        {
            writer.WriteLines("""
                global::NetGen.CompilerServices.ArgumentLength.Check(packed.Length, ParameterCount, nameof(packed));
                global::NetGen.CompilerServices.ArgumentLength.Check(input.Length, InputSize, nameof(input));
                global::NetGen.CompilerServices.ArgumentLength.Check(output.Length, OutputSize, nameof(output));
                // The layers that do not pack read their blocks from the packed vector at their usual offsets.
                ReadOnlySpan<float> parameters = packed;
                """);
            using (Scratch.Scope(writer, Scratch.UsesWorkspace(model)))
            {
                EmitForwardChain(writer, model, layers, PassPlan.PackedPrediction(Scratch.UsesWorkspace(model)), "output");
            }
        }
        writer.WriteLine();
    }
}
