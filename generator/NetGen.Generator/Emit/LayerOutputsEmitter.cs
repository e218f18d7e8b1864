using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// Writes <c>PredictLayerOutputs</c>: the forward pass with every layer's output kept where the caller can read it, so
/// that a student sees what each layer computes (a convolution's feature maps, a pooling's, a dense layer's units).
/// </summary>
internal static class LayerOutputsEmitter
{
    public const string MethodName = "PredictLayerOutputs";

    public const string SizeName = "LayerOutputsSize";

    public static void Emit(IndentedWriter writer, NetworkModel model, IReadOnlyList<LayerEmitter> layers)
    {
        long size = model.Layers.Sum(l => (long)l.OutputSize);
        writer.WriteLine("/// <summary>The number of values every layer's output holds together: what PredictLayerOutputs writes.</summary>");
        writer.WriteLine($"public const int {SizeName} = {size};");
        writer.WriteLine();
        writer.WriteLine("/// <summary>");
        writer.WriteLine("/// Computes the output of every layer for one input, layer after layer, into <paramref name=\"layerOutputs\"/>");
        writer.WriteLine($"/// ({SizeName} values): layer 1's output first, row-major in its shape (<see cref=\"Layers\"/> gives each shape),");
        writer.WriteLine("/// then layer 2's, and so on; the last is what Predict returns. Allocates nothing.");
        writer.WriteLine("/// </summary>");
        writer.WriteLine($"public void {MethodName}(ReadOnlySpan<float> input, Span<float> layerOutputs) => {MethodName}({NetworkEmitter.ParametersField}, input, layerOutputs);");
        writer.WriteLine();
        writer.WriteLine($"/// <summary>Computes every layer's output for one input with the given parameters; see the instance method.</summary>");
        using (writer.Block($"public static void {MethodName}(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> layerOutputs)"))
        {
            writer.WriteLine("global::NetGen.CompilerServices.ArgumentLength.Check(parameters.Length, ParameterCount, nameof(parameters));");
            writer.WriteLine("global::NetGen.CompilerServices.ArgumentLength.Check(input.Length, InputSize, nameof(input));");
            writer.WriteLine($"global::NetGen.CompilerServices.ArgumentLength.Check(layerOutputs.Length, {SizeName}, nameof(layerOutputs));");
            string previous = "input";
            long offset = 0;
            for (int k = 1; k <= layers.Count; k++)
            {
                LayerModel layer = layers[k - 1].Layer;
                string slice = $"layerOutputs.Slice({offset}, {layer.OutputSize})";
                if (k == layers.Count)
                {
                    writer.WriteLine($"Span<float> logits = stackalloc float[{layer.OutputSize}];");
                    writer.WriteLine($"{NetworkEmitter.KernelsClass}.{layers[k - 1].ForwardName}(parameters, {previous}, logits, {slice}{NetworkEmitter.NetworkInputArgument(layers[k - 1], "input")});");
                }
                else
                {
                    writer.WriteLine($"{NetworkEmitter.KernelsClass}.{layers[k - 1].ForwardName}(parameters, {previous}, {slice}{NetworkEmitter.NetworkInputArgument(layers[k - 1], "input")});");
                }
                previous = slice;
                offset += layer.OutputSize;
            }
        }
    }
}
