using System.Text;

namespace NetGen.Cli.Import;

/// <summary>Writes the C# declaration of an imported network: the [Network] class with one attribute per layer.</summary>
internal static class DeclarationWriter
{
    /// <summary>The text of <c><paramref name="className"/>.cs</c>.</summary>
    /// <param name="network">The imported network.</param>
    /// <param name="className">The class to declare.</param>
    /// <param name="namespaceName">Its namespace, or null for the global namespace.</param>
    /// <param name="weightsFileName">The name of the weights file the declaration compiles in.</param>
    public static string Write(ImportedNetwork network, string className, string? namespaceName, string weightsFileName)
    {
        var text = new StringBuilder();
        text.Append("// Imported from ").Append(network.Source).Append(" by netgen import")
            .Append(network.Producer.Length > 0 ? $" (written by {network.Producer}, opset {network.Opset})" : $" (opset {network.Opset})").Append(".\n");
        text.Append("// The parameters are compiled in from ").Append(weightsFileName)
            .Append(": the project needs <AdditionalFiles Include=\"").Append(weightsFileName).Append("\" /> (with its folder).\n");
        text.Append("using NetGen;\n\n");
        if (namespaceName is not null)
        {
            text.Append("namespace ").Append(namespaceName).Append(";\n\n");
        }
        ImportedLayer output = network.Layers[^1];
        text.Append("/// <summary>The network of ").Append(network.Source).Append(": input ").Append(Format(network.InputShape))
            .Append(", output ").Append(Format(output.OutputShape)).Append(", ").Append(network.Parameters().Length).Append(" parameters.</summary>\n");
        text.Append("[Network(");
        if (network.Loss != Loss.MeanSquaredError)
        {
            text.Append("Loss = Loss.").Append(network.Loss).Append(", ");
        }
        text.Append("Weights = \"").Append(weightsFileName).Append("\")]\n");
        text.Append("[Input(").Append(string.Join(", ", network.InputShape)).Append(")]\n");
        foreach (ImportedLayer layer in network.Layers)
        {
            text.Append('[').Append(Attribute(layer)).Append("]\n");
        }
        text.Append("public partial class ").Append(className).Append(";\n");
        return text.ToString();
    }

    private static string Attribute(ImportedLayer layer) => layer.Kind switch
    {
        LayerKind.Dense => $"Dense({layer.Units}{ActivationArgument(layer)})",
        LayerKind.Conv2D => $"Conv2D({layer.Units}, {layer.Size}{ActivationArgument(layer)}"
                            + (layer.Stride != 1 ? $", Stride = {layer.Stride}" : "")
                            + (layer.Padding != Padding.Valid ? $", Padding = Padding.{layer.Padding}" : "") + ")",
        LayerKind.MaxPool2D => $"MaxPool2D({layer.Size}{StrideArgument(layer)})",
        LayerKind.AveragePool2D => $"AveragePool2D({layer.Size}{StrideArgument(layer)})",
        LayerKind.Flatten => "Flatten",
        LayerKind.GlobalAveragePool => "GlobalAveragePool",
        LayerKind.SimpleRnn => $"SimpleRnn({layer.Units}, Activation.{layer.CellActivation}{ReturnSequencesArgument(layer)})",
        LayerKind.Lstm => $"Lstm({layer.Units}{ReturnSequencesArgument(layer)})",
        LayerKind.Gru => $"Gru({layer.Units}{ReturnSequencesArgument(layer)})",
        LayerKind.Embedding => $"Embedding({layer.Vocabulary}, {layer.Units}" + (layer.PaddingIndex >= 0 ? $", PaddingIndex = {layer.PaddingIndex}" : "") + ")",
        _ => throw new InvalidOperationException($"The importer made a {layer.Kind} layer, which the declaration writer does not know."),
    };

    private static string ActivationArgument(ImportedLayer layer) => layer.Activation == Activation.Identity ? "" : $", Activation.{layer.Activation}";

    private static string ReturnSequencesArgument(ImportedLayer layer) => layer.ReturnSequences ? ", ReturnSequences = true" : "";

    /// <summary>A pooling layer's stride is its size unless declared.</summary>
    private static string StrideArgument(ImportedLayer layer) => layer.Stride == layer.Size ? "" : $", Stride = {layer.Stride}";

    private static string Format(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";
}
