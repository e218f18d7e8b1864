using System.Text;

namespace NetGen.Cli;

/// <summary>The options of <c>netgen import</c>.</summary>
/// <param name="ModelPath">The ONNX model to read.</param>
/// <param name="ClassName">The class to declare.</param>
/// <param name="Namespace">The class's namespace, or null for the global namespace.</param>
/// <param name="OutputFolder">The folder to write the declaration and the weights into.</param>
/// <param name="Help">Whether --help was asked for (then nothing else matters).</param>
internal sealed record ImportOptions(string ModelPath, string ClassName, string? Namespace, string OutputFolder, bool Help = false)
{
    private static readonly HashSet<string> Keywords =
    [
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    ];

    /// <summary>Reads the arguments after "import".</summary>
    /// <exception cref="ArgumentException">An option is unknown, repeated or without its value, the model is missing, or a name is not a C# identifier.</exception>
    public static ImportOptions Parse(IReadOnlyList<string> args)
    {
        string? model = null, className = null, namespaceName = null, folder = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "-h" or "--help":
                    return new ImportOptions("", "", null, "", Help: true);
                case "--class":
                    className = Value(args, ref i, className);
                    break;
                case "--namespace":
                    namespaceName = Value(args, ref i, namespaceName);
                    break;
                case "--out":
                    folder = Value(args, ref i, folder);
                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        throw new ArgumentException($"unknown option '{arg}'; the options are --class, --namespace and --out.");
                    }
                    if (model is not null)
                    {
                        throw new ArgumentException($"one model at a time: '{model}' and '{arg}' were both given.");
                    }
                    model = arg;
                    break;
            }
        }
        if (model is null)
        {
            throw new ArgumentException("the ONNX model to import is missing.");
        }
        className ??= PascalCase(Path.GetFileNameWithoutExtension(model));
        if (!IsIdentifier(className))
        {
            throw new ArgumentException($"--class '{className}' is not a C# class name (a letter or _, then letters, digits or _; not a keyword).");
        }
        if (namespaceName is not null && !namespaceName.Split('.').All(IsIdentifier))
        {
            throw new ArgumentException($"--namespace '{namespaceName}' is not a C# namespace (identifiers separated by dots).");
        }
        return new ImportOptions(model, className, namespaceName, folder ?? ".");
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string? previous)
    {
        string option = args[i];
        if (previous is not null)
        {
            throw new ArgumentException($"{option} is given twice.");
        }
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{option} needs a value.");
        }
        return args[++i];
    }

    private static bool IsIdentifier(string name)
        => name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_') && !Keywords.Contains(name);

    /// <summary>"spam_filter-v2" becomes "SpamFilterV2"; a name starting with a digit gets a leading "Model".</summary>
    internal static string PascalCase(string name)
    {
        var text = new StringBuilder();
        foreach (string word in name.Split(name.Where(c => !char.IsLetterOrDigit(c)).Distinct().ToArray()))
        {
            if (word.Length > 0)
            {
                text.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
            }
        }
        return text.Length == 0 || char.IsDigit(text[0]) ? "Model" + text : text.ToString();
    }
}
