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

        // Weights files to compile in: read and checked once each; collected, so that a network finds its own by name.
        IncrementalValueProvider<System.Collections.Immutable.ImmutableArray<WeightsFileModel>> weightsFiles = context.AdditionalTextsProvider
            .Where(static file => WeightsFileReader.IsCandidate(file))
            .Select(static (file, cancellationToken) => WeightsFileReader.Read(file, cancellationToken))
            .WithTrackingName(TrackingNames.WeightsFiles)
            .Collect();

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> weightsDiagnostics = results
            .Where(static result => result.Model?.WeightsFile is not null)
            .Combine(weightsFiles)
            .Select(static (pair, _) => CompiledWeights.Diagnose(pair.Left, pair.Right))
            .Where(static diagnostics => diagnostics.Length > 0)
            .WithTrackingName(TrackingNames.WeightsDiagnostics);
        context.RegisterSourceOutput(weightsDiagnostics, static (output, diagnostics) =>
        {
            foreach (DiagnosticInfo diagnostic in diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        IncrementalValuesProvider<EmissionModel> models = results
            .Select(static (result, _) => result.Model)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.Model)
            .Combine(weightsFiles)
            .Select(static (pair, _) => new EmissionModel(pair.Left, CompiledWeights.Find(pair.Left, pair.Right)))
            .WithTrackingName(TrackingNames.Emission);
        context.RegisterSourceOutput(models, static (output, model) =>
            output.AddSource(NetworkEmitter.HintName(model.Network), NetworkEmitter.Emit(model.Network, model.CompiledParameterBits)));

        // The preprocessing saved with compiled-in weights, as a static property in a file of its own.
        IncrementalValuesProvider<CompiledPreprocessingModel> preprocessing = results
            .Select(static (result, _) => result.Model)
            .Where(static model => model?.WeightsFile is not null)
            .Combine(weightsFiles)
            .Select(static (pair, _) => CompiledPreprocessing.Find(pair.Left!, pair.Right))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!);
        context.RegisterSourceOutput(preprocessing, static (output, model) =>
            output.AddSource(CompiledPreprocessing.HintName(model), CompiledPreprocessing.Emit(model)));
    }
}

/// <summary>The names of the pipeline's steps, for tests that check what an edit re-runs.</summary>
public static class TrackingNames
{
    /// <summary>Parsing a [Network] class into its model and diagnostics.</summary>
    public const string Parse = nameof(Parse);

    /// <summary>The diagnostics of one network, apart from its model.</summary>
    public const string Diagnostics = nameof(Diagnostics);

    /// <summary>The model of one network, apart from its diagnostics.</summary>
    public const string Model = nameof(Model);

    /// <summary>A weights file among the additional files, read and checked.</summary>
    public const string WeightsFiles = nameof(WeightsFiles);

    /// <summary>What is wrong with the weights file a network declares, if anything.</summary>
    public const string WeightsDiagnostics = nameof(WeightsDiagnostics);

    /// <summary>A network's model with its compiled-in weights: what the emitter reads.</summary>
    public const string Emission = nameof(Emission);
}
