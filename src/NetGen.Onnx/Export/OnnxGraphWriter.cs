using Onnx;

namespace NetGen.Onnx.Export;

/// <summary>Writes a network's layers as an ONNX graph, one <see cref="ILayerExporter"/> per layer kind.</summary>
internal static class OnnxGraphWriter
{
    /// <summary>The graph for <paramref name="layers"/> with <paramref name="parameters"/> in NetGen's layout.</summary>
    /// <exception cref="ArgumentException">The network has no layers.</exception>
    /// <exception cref="NotSupportedException">A layer kind or activation is not covered; the message names the layer.</exception>
    public static GraphProto Write(string name, IReadOnlyList<LayerInfo> layers, float[] parameters)
    {
        if (layers.Count == 0)
        {
            throw new ArgumentException("The network has no layers.", nameof(layers));
        }
        var graph = new OnnxGraphBuilder(name);
        graph.UniqueName(OnnxExport.InputName);
        graph.UniqueName(OnnxExport.OutputName);
        string current = OnnxExport.InputName;
        for (int index = 0; index < layers.Count; index++)
        {
            var layer = new LayerExportContext(layers[index], index, parameters, current, index == 0 ? null : layers[index - 1]);
            ILayerExporter exporter;
            try
            {
                exporter = LayerExporters.For(layer.Layer.Kind);
            }
            catch (NotSupportedException error)
            {
                throw new NotSupportedException($"Layer {index + 1} of {name}: {error.Message}", error);
            }
            string computed = exporter.Export(graph, layer);
            current = ActivationExporter.Apply(graph, layer, layer.Layer.Activation, computed);
        }
        // Rename the last node's output to the graph's output name (an Identity would do too, at the cost of a node).
        NodeProto last = graph.Graph.Node[^1];
        if (last.Output[0] != current)
        {
            throw new InvalidOperationException($"The last node computes '{last.Output[0]}', not the network's output '{current}'.");
        }
        last.Output[0] = OnnxExport.OutputName;
        graph.Graph.Input.Add(OnnxGraphBuilder.BatchedFloatTensor(OnnxExport.InputName, layers[0].InputShape));
        graph.Graph.Output.Add(OnnxGraphBuilder.BatchedFloatTensor(OnnxExport.OutputName, layers[^1].OutputShape));
        return graph.Graph;
    }
}
