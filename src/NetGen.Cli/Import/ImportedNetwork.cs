namespace NetGen.Cli.Import;

/// <summary>A network read from an ONNX model: its input shape and layers, and where it came from.</summary>
/// <param name="Source">The model's file name, for the declaration's comments.</param>
/// <param name="Producer">The program that wrote the model and its version ("pytorch 1.13.0").</param>
/// <param name="Opset">The model's default operator set version.</param>
/// <param name="InputShape">The shape of one input: [features], [steps, features] or [channels, height, width].</param>
/// <param name="Layers">The layers from input to output.</param>
internal sealed record ImportedNetwork(string Source, string Producer, long Opset, int[] InputShape, IReadOnlyList<ImportedLayer> Layers)
{
    /// <summary>The loss that goes with the output activation: cross-entropy over softmax, binary cross-entropy over sigmoid, else mean squared error.</summary>
    public Loss Loss => Layers[^1].Activation switch
    {
        Activation.Softmax => Loss.CrossEntropy,
        Activation.Sigmoid => Loss.BinaryCrossEntropy,
        _ => Loss.MeanSquaredError,
    };

    /// <summary>Every parameter in NetGen's order: per layer its weights, then its biases.</summary>
    public float[] Parameters() => Layers.SelectMany(layer => layer.ParameterValues()).ToArray();

    /// <summary>The layers as the runtime describes them, for <see cref="ShapeFingerprint.Compute(int, IReadOnlyList{LayerInfo})"/>.</summary>
    public IReadOnlyList<LayerInfo> LayerInfos()
    {
        var infos = new List<LayerInfo>(Layers.Count);
        int offset = 0;
        foreach (ImportedLayer layer in Layers)
        {
            infos.Add(layer.ToLayerInfo(offset));
            offset += layer.ParameterCount;
        }
        return infos;
    }
}
