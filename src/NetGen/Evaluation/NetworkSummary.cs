using System.Globalization;
using System.Text;

namespace NetGen;

/// <summary>A network's layers as a table, the way Keras' <c>model.summary()</c> prints one.</summary>
public static class NetworkSummary
{
    /// <summary>The summary of network class <typeparamref name="TNetwork"/>, from its <see cref="INetwork{TSelf}.Layers"/>.</summary>
    /// <remarks>
    /// One row per layer, named as Keras names them (<c>dense</c>, <c>dense_1</c>...), with its kind and activation,
    /// its output shape as NetGen writes shapes (<c>[8, 14, 14]</c>: channels, height, width; there is no batch
    /// dimension) and its parameter count; then the total, with the bytes the parameters take as 32-bit floats.
    /// </remarks>
    public static string Of<TNetwork>() where TNetwork : class, INetwork<TNetwork>
    {
        IReadOnlyList<LayerInfo> layers = TNetwork.Layers;
        var rows = new List<(string Layer, string Shape, string Parameters)>();
        if (layers.Count > 0)
        {
            rows.Add(("input (Input)", Format(layers[0].InputShape), "0"));
        }
        var seen = new Dictionary<LayerKind, int>();
        long total = 0;
        foreach (LayerInfo layer in layers)
        {
            int index = seen.GetValueOrDefault(layer.Kind);
            seen[layer.Kind] = index + 1;
            string name = layer.Kind.ToString().ToLowerInvariant() + (index == 0 ? "" : "_" + index.ToString(CultureInfo.InvariantCulture));
            string type = layer.Activation == Activation.Identity ? layer.Kind.ToString() : $"{layer.Kind}, {layer.Activation}";
            rows.Add(($"{name} ({type})", Format(layer.OutputShape), Count(layer.ParameterCount)));
            total += layer.ParameterCount;
        }

        const string layerHeader = "Layer (type)", shapeHeader = "Output Shape", parametersHeader = "Param #";
        int layerWidth = Math.Max(layerHeader.Length, rows.Max(r => r.Layer.Length)) + 4;
        int shapeWidth = Math.Max(shapeHeader.Length, rows.Max(r => r.Shape.Length)) + 4;
        int parametersWidth = Math.Max(parametersHeader.Length, rows.Max(r => r.Parameters.Length));
        int width = 1 + layerWidth + shapeWidth + parametersWidth;

        var text = new StringBuilder();
        text.AppendLine($"Model: \"{typeof(TNetwork).Name}\"");
        text.AppendLine(new string('_', width));
        text.AppendLine(" " + layerHeader.PadRight(layerWidth) + shapeHeader.PadRight(shapeWidth) + parametersHeader.PadLeft(parametersWidth));
        text.AppendLine(new string('=', width));
        foreach ((string layer, string shape, string parameters) in rows)
        {
            text.AppendLine(" " + layer.PadRight(layerWidth) + shape.PadRight(shapeWidth) + parameters.PadLeft(parametersWidth));
        }
        text.AppendLine(new string('=', width));
        text.AppendLine($"Total params: {Count(total)} ({Bytes(total * sizeof(float))})");
        text.AppendLine($"Trainable params: {Count(total)} ({Bytes(total * sizeof(float))})");
        text.AppendLine("Non-trainable params: 0 (0 B)");
        text.AppendLine($"Loss: {TNetwork.Loss}");
        text.AppendLine(new string('_', width));
        return text.ToString();
    }

    /// <summary>The summary of a network known by its interface.</summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network.</param>
    extension<TNetwork>(TNetwork network) where TNetwork : class, INetwork<TNetwork>
    {
        /// <summary>The network's layers, output shapes and parameter counts as Keras' <c>model.summary()</c> prints them.</summary>
        public string Summary()
        {
            ArgumentNullException.ThrowIfNull(network);
            return Of<TNetwork>();
        }
    }

    private static string Format(IReadOnlyList<int> shape) => Shapes.Format(shape);

    private static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Bytes in Keras' units: B, KB, MB, GB of 1,024.</summary>
    internal static string Bytes(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : value.ToString("F2", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
