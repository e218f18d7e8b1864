using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator;

/// <summary>A location kept as plain data, so that it can live in the model without holding a syntax tree.</summary>
/// <remarks>
/// It keeps the syntax tree (compared by reference), so that the reported diagnostic is a source location that
/// <c>#pragma warning</c> and .editorconfig severities apply to. Only diagnostics hold it, never the model: an edit
/// that makes a new tree re-reports diagnostics but does not re-emit code.
/// </remarks>
internal sealed record LocationInfo(SyntaxTree Tree, TextSpan TextSpan)
{
    public Location ToLocation() => Location.Create(Tree, TextSpan);

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null)
        {
            return null;
        }
        return new LocationInfo(location.SourceTree, location.SourceSpan);
    }
}

/// <summary>A diagnostic kept as data (descriptor id, location, message arguments) until it is reported.</summary>
internal sealed record DiagnosticInfo(string DescriptorId, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic()
    {
        var arguments = new object[Arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Arguments[i];
        }
        return Diagnostic.Create(DiagnosticDescriptors.ById(DescriptorId), Location?.ToLocation(), arguments);
    }
}
