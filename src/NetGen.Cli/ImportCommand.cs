using NetGen.Cli.Import;
using NetGen.Onnx;

namespace NetGen.Cli;

/// <summary><c>netgen import</c>: reads the model, then writes the declaration and the weights, both or neither.</summary>
internal static class ImportCommand
{
    /// <summary>Imports <see cref="ImportOptions.ModelPath"/>; returns the paths written (declaration, weights).</summary>
    /// <exception cref="FileNotFoundException">There is no such model.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model.</exception>
    /// <exception cref="UnsupportedModelException">The model has nodes NetGen cannot express; nothing is written.</exception>
    public static (string Declaration, string Weights) Run(ImportOptions options, TextWriter output)
    {
        ImportedNetwork network = OnnxImporter.Import(options.ModelPath);
        string weightsFileName = options.ClassName + ".weights";
        string declaration = DeclarationWriter.Write(network, options.ClassName, options.Namespace, weightsFileName);
        string weights = WeightsFileWriter.Write(network);

        Directory.CreateDirectory(options.OutputFolder);
        string declarationPath = Path.Combine(options.OutputFolder, options.ClassName + ".cs");
        string weightsPath = Path.Combine(options.OutputFolder, weightsFileName);
        // The weights first: a declaration without its weights file would not build, weights without a declaration are inert.
        AtomicText.Write(weightsPath, weights);
        AtomicText.Write(declarationPath, declaration);

        output.WriteLine($"Imported {network.Source}: {network.Layers.Count} layers, {network.Parameters().Length} parameters.");
        output.WriteLine($"  wrote {declarationPath}");
        output.WriteLine($"  wrote {weightsPath}");
        output.WriteLine($"Add to the project: <AdditionalFiles Include=\"{Path.GetRelativePath(".", weightsPath).Replace('\\', '/')}\" />");
        return (declarationPath, weightsPath);
    }
}
