using NetGen.Cli.Import;

namespace NetGen.Cli;

/// <summary>The netgen command line: <c>netgen import model.onnx --class Name [--namespace Ns] [--out folder]</c>.</summary>
internal static class CommandLine
{
    /// <summary>Exit code: done.</summary>
    public const int Success = 0;

    /// <summary>Exit code: the model cannot be imported (unsupported nodes, not an ONNX file, no such file, a file that cannot be written).</summary>
    public const int Failure = 1;

    /// <summary>Exit code: the command line is wrong.</summary>
    public const int UsageError = 2;

    public const string Usage = """
        Usage: netgen import <model.onnx> [--class <Name>] [--namespace <Namespace>] [--out <folder>]

        Writes <Name>.cs, the [Network] declaration of the ONNX model, and <Name>.weights, its parameters, which the
        declaration compiles in (add <AdditionalFiles Include="<folder>/<Name>.weights" /> to the project).
          --class       the network's class name (default: the model's file name in PascalCase)
          --namespace   the class's namespace (default: none)
          --out         the folder to write into (default: the current folder; created if missing)
        """;

    /// <summary>Runs the command in <paramref name="args"/>; returns the process's exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            (args.Count == 0 ? error : output).WriteLine(Usage);
            return args.Count == 0 ? UsageError : Success;
        }
        if (args[0] != "import")
        {
            error.WriteLine($"netgen: unknown command '{args[0]}'; the command is 'import'.");
            error.WriteLine(Usage);
            return UsageError;
        }
        ImportOptions options;
        try
        {
            options = ImportOptions.Parse(args.Skip(1).ToArray());
        }
        catch (ArgumentException problem)
        {
            error.WriteLine($"netgen import: {problem.Message}");
            error.WriteLine(Usage);
            return UsageError;
        }
        if (options.Help)
        {
            output.WriteLine(Usage);
            return Success;
        }
        try
        {
            ImportCommand.Run(options, output);
            return Success;
        }
        catch (Exception problem) when (problem is UnsupportedModelException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"netgen import: {problem.Message}");
            return Failure;
        }
    }
}
