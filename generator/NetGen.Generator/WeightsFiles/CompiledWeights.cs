using System;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator;

/// <summary>Matches a network's declared weights file with the additional files, and says what is wrong when they do not fit.</summary>
internal static class CompiledWeights
{
    private const string BinaryExtension = ".ngw";

    /// <summary>The name the additional files are searched for: the declared one without its folders.</summary>
    public static string? WantedName(NetworkModel? model) => model?.WeightsFile is { } file ? FileName(file) : null;

    /// <summary>The part after the last folder separator. Not Path.GetFileName, which throws on .NET Framework (Visual Studio) for characters it rejects.</summary>
    private static string FileName(string path) => path.Substring(path.LastIndexOfAny(new[] { '/', '\\' }) + 1);

    private static string Stem(string fileName) => fileName.LastIndexOf('.') is var dot and > 0 ? fileName.Substring(0, dot) : fileName;

    /// <summary>Whether the network's declared weights file is among the additional files and fits it.</summary>
    public static bool HasCompiledWeights(NetworkModel model, EquatableArray<AdditionalFileModel> files)
        => FileFor(model, files) is { } file && Fits(model, file);

    /// <summary>The weights to emit beside the network, or null when it declares none or its file does not fit.</summary>
    public static CompiledWeightsModel? WeightsToEmit(NetworkModel model, EquatableArray<AdditionalFileModel> files)
        => FileFor(model, files) is { } file && Fits(model, file) ? new CompiledWeightsModel(model.Type, file.FileName, file.ParameterBits) : null;

    public static EquatableArray<DiagnosticInfo> Diagnose(ParsedNetwork network, EquatableArray<AdditionalFileModel> files)
    {
        ParseResult result = network.Result;
        NetworkModel model = result.Model!;
        WeightsFileModel? file = FileFor(model, files);
        (DiagnosticDescriptor Descriptor, string[] Arguments)? problem =
            file is null ? (DiagnosticDescriptors.WeightsFileNotFound, new[] { model.WeightsFile!, NotFoundAdvice(model.WeightsFile!, files) }) :
            file.Error is not null ? (DiagnosticDescriptors.WeightsFileInvalid, new[] { file.FileName, file.Error }) :
            !Fits(model, file) ? (DiagnosticDescriptors.WeightsFileShapeMismatch, new[] { file.FileName, file.ParameterCount.ToString(CultureInfo.InvariantCulture),
                file.Fingerprint.ToString("X16", CultureInfo.InvariantCulture), model.Type.Name, model.ParameterCount.ToString(CultureInfo.InvariantCulture), model.Fingerprint.ToString("X16", CultureInfo.InvariantCulture) }) :
            null;
        if (problem is not { } found)
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }
        DiagnosticInfo diagnostic = network.WeightsOptional
            ? Create(DiagnosticDescriptors.OptionalWeightsFileNotUsed, result, model.Type.Name.Replace("@", ""), Message(found.Descriptor, found.Arguments))
            : Create(found.Descriptor, result, found.Arguments);
        return new EquatableArray<DiagnosticInfo>(new[] { diagnostic });
    }

    internal static bool Fits(NetworkModel model, WeightsFileModel file)
        => file.Error is null && file.ParameterCount == model.ParameterCount && file.Fingerprint == model.Fingerprint;

    /// <summary>The additional file whose name is the declared one (compared without folders, ignoring case), read.</summary>
    internal static WeightsFileModel? FileFor(NetworkModel model, EquatableArray<AdditionalFileModel> files)
    {
        string? wanted = WantedName(model);
        if (wanted is null)
        {
            return null;
        }
        foreach (AdditionalFileModel file in files)
        {
            if (file.Weights is not null && string.Equals(file.FileName, wanted, StringComparison.OrdinalIgnoreCase))
            {
                return file.Weights;
            }
        }
        return null;
    }

    /// <summary>What to do about a declared file that is not among the additional files: the text form of a binary file, a close name, or adding it.</summary>
    private static string NotFoundAdvice(string declared, EquatableArray<AdditionalFileModel> files)
    {
        string wanted = FileName(declared);
        if (wanted.EndsWith(BinaryExtension, StringComparison.OrdinalIgnoreCase))
        {
            string textForm = declared.Substring(0, declared.Length - BinaryExtension.Length) + ".weights";
            return $"compiled-in weights need the text form, not a binary {BinaryExtension} file: write it with CompiledWeightsFile.Save(network, \"{textForm}\"), add <AdditionalFiles Include=\"{textForm}\" /> to the project file, and declare Weights = \"{textForm}\"";
        }
        string? closest = ClosestName(wanted, files);
        return closest is not null
            ? $"did you mean '{closest}'?"
            : $"add <AdditionalFiles Include=\"{declared}\" /> to the project file";
    }

    /// <summary>
    /// The additional file whose name is closest to <paramref name="wanted"/> by edit distance (ignoring case), when it
    /// is close enough to be a misspelling (a quarter of the name's characters, at least 2) or differs only in extension.
    /// </summary>
    internal static string? ClosestName(string wanted, EquatableArray<AdditionalFileModel> files)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        int allowed = Math.Max(2, wanted.Length / 4);
        string wantedStem = Stem(wanted);
        foreach (AdditionalFileModel file in files)
        {
            int distance = EditDistance(wanted.ToLowerInvariant(), file.FileName.ToLowerInvariant());
            bool sameStem = string.Equals(Stem(file.FileName), wantedStem, StringComparison.OrdinalIgnoreCase);
            if ((distance <= allowed || sameStem) && (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(file.FileName, best) < 0)))
            {
                best = file.FileName;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>The Levenshtein distance: the fewest insertions, deletions and substitutions that turn one string into the other.</summary>
    internal static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    private static string Message(DiagnosticDescriptor descriptor, string[] arguments)
        => string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), arguments);

    private static DiagnosticInfo Create(DiagnosticDescriptor descriptor, ParseResult result, params string[] arguments)
        => new(descriptor.Id, result.WeightsLocation, arguments.ToEquatableArray());
}
