using System.Collections.Immutable;

namespace NetGen.Generator;

/// <summary>Matches a network's declared weights file with the additional files, and says what is wrong when they do not fit.</summary>
internal static class CompiledWeights
{
    /// <summary>The bits of the network's compiled-in parameters, or empty when it declares none or the file does not fit.</summary>
    public static EquatableArray<int> Find(NetworkModel model, ImmutableArray<WeightsFileModel> files)
    {
        WeightsFileModel? file = FileFor(model, files);
        return file is not null && Fits(model, file) ? file.ParameterBits : EquatableArray<int>.Empty;
    }

    public static EquatableArray<DiagnosticInfo> Diagnose(ParseResult result, ImmutableArray<WeightsFileModel> files)
    {
        NetworkModel model = result.Model!;
        WeightsFileModel? file = FileFor(model, files);
        DiagnosticInfo? diagnostic =
            file is null ? Create(DiagnosticDescriptors.WeightsFileNotFound, result, model.WeightsFile!) :
            file.Error is not null ? Create(DiagnosticDescriptors.WeightsFileInvalid, result, file.FileName, file.Error) :
            !Fits(model, file) ? Create(DiagnosticDescriptors.WeightsFileShapeMismatch, result, file.FileName, file.ParameterCount.ToString(),
                file.Fingerprint.ToString("X16"), model.Type.Name, model.ParameterCount.ToString(), model.Fingerprint.ToString("X16")) :
            null;
        return diagnostic is null ? EquatableArray<DiagnosticInfo>.Empty : new EquatableArray<DiagnosticInfo>(new[] { diagnostic });
    }

    internal static bool Fits(NetworkModel model, WeightsFileModel file)
        => file.Error is null && file.ParameterCount == model.ParameterCount && file.Fingerprint == model.Fingerprint;

    /// <summary>The additional file whose name is the declared one (compared without folders, ignoring case).</summary>
    internal static WeightsFileModel? FileFor(NetworkModel model, ImmutableArray<WeightsFileModel> files)
    {
        if (model.WeightsFile is null)
        {
            return null;
        }
        string wanted = System.IO.Path.GetFileName(model.WeightsFile);
        foreach (WeightsFileModel file in files)
        {
            if (string.Equals(file.FileName, wanted, System.StringComparison.OrdinalIgnoreCase))
            {
                return file;
            }
        }
        return null;
    }

    private static DiagnosticInfo Create(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, ParseResult result, params string[] arguments)
        => new(descriptor.Id, result.WeightsLocation, arguments.ToEquatableArray());
}
