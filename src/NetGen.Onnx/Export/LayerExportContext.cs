namespace NetGen.Onnx.Export;

/// <summary>One layer being exported: its description, the network's parameters, and the tensor it reads.</summary>
/// <param name="Layer">The layer, from the network's <c>Layers</c>.</param>
/// <param name="Index">The layer's position in the network, from 0.</param>
/// <param name="Parameters">The network's whole parameter vector.</param>
/// <param name="Input">The name of the tensor the layer reads, of shape [batch, ...<see cref="LayerInfo.InputShape"/>].</param>
/// <param name="Previous">The layer before, or null for the first layer (a mean after an embedding reads its padding id).</param>
internal sealed record LayerExportContext(LayerInfo Layer, int Index, float[] Parameters, string Input, LayerInfo? Previous = null)
{
    /// <summary>The prefix of the layer's node and initializer names: "dense0", "conv2d1"...</summary>
    public string Name => $"{Layer.Kind.ToString().ToLowerInvariant()}{Index}";

    /// <summary>
    /// The layer's declared arguments after its input shape (a convolution's filters, kernel size, stride and padding),
    /// as docs/file-format.md lists them: <see cref="LayerInfo.Arguments"/> start with the input's rank and dimensions.
    /// </summary>
    /// <exception cref="InvalidOperationException">The arguments do not start with the input shape, or there are fewer than <paramref name="count"/> after it.</exception>
    public IReadOnlyList<int> DeclaredArguments(int count)
    {
        IReadOnlyList<int> arguments = Layer.Arguments;
        int rank = Layer.InputShape.Count;
        if (arguments.Count != 1 + rank + count || arguments[0] != rank)
        {
            throw new InvalidOperationException(
                $"Layer {Index + 1} ({Layer.Kind}) has the arguments [{string.Join(", ", arguments)}]; expected its input's rank {rank}, its dimensions and {count} more.");
        }
        return arguments.Skip(1 + rank).ToArray();
    }

    /// <summary>The values of one of the layer's parameter blocks.</summary>
    public ReadOnlySpan<float> Values(ParameterBlock block) => Parameters.AsSpan(block.Offset, block.Count);

    /// <summary>Adds one of the layer's parameter blocks as an initializer of the block's shape; returns its name.</summary>
    public string Initializer(OnnxGraphBuilder graph, ParameterBlock block)
    {
        long[] dims = block.Shape.Select(d => (long)d).ToArray();
        return graph.FloatInitializer($"{Name}.{block.Name}", Values(block), dims);
    }
}
