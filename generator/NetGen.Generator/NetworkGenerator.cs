using Microsoft.CodeAnalysis;

namespace NetGen.Generator;

/// <summary>
/// Generates a network's forward pass, backward pass and parameters for every class carrying <c>[Network]</c>.
/// One pipeline: parse each class into a value model with its diagnostics, report the diagnostics on their own,
/// and emit from the model alone, so that a changed message or location never re-emits code.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> results = context.SyntaxProvider
            .ForAttributeWithMetadataName(NetworkParser.NetworkAttributeName, NetworkParser.IsCandidate, NetworkParser.Parse)
            .WithTrackingName(TrackingNames.Parse);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = results
            .Select(static (result, _) => result.Diagnostics)
            .Where(static diagnostics => diagnostics.Length > 0)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (output, diagnostics) =>
        {
            foreach (DiagnosticInfo diagnostic in diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        IncrementalValuesProvider<NetworkModel> models = results
            .Select(static (result, _) => result.Model)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.Model);
        context.RegisterSourceOutput(models, static (output, model) =>
            output.AddSource(NetworkEmitter.HintName(model), NetworkEmitter.Emit(model)));
    }
}

/// <summary>The names of the pipeline's steps, for tests that check what an edit re-runs.</summary>
public static class TrackingNames
{
    /// <summary>Parsing a [Network] class into its model and diagnostics.</summary>
    public const string Parse = nameof(Parse);

    /// <summary>The diagnostics of one network, apart from its model.</summary>
    public const string Diagnostics = nameof(Diagnostics);

    /// <summary>The model of one network, apart from its diagnostics: what the emitter reads.</summary>
    public const string Model = nameof(Model);
}
