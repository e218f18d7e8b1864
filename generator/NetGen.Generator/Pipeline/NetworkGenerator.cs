using System.Linq;
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
        IncrementalValuesProvider<ParsedNetwork> results = context.SyntaxProvider
            .ForAttributeWithMetadataName(NetworkParser.NetworkAttributeName, NetworkParser.IsCandidate, static (syntax, cancellationToken) =>
            {
                ParseResult result = NetworkParser.Parse(syntax, cancellationToken);
                return new ParsedNetwork(result, FallbackModel.For(syntax, result, cancellationToken), IsWeightsOptional(syntax));
            })
            .WithTrackingName(TrackingNames.Parse);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = results
            .Select(static (network, _) => network.Result.Diagnostics)
            .Where(static diagnostics => diagnostics.Length > 0)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, ReportDiagnostics);

        // A declaration with an error gets a stand-in, so that code using the class binds and only the error shows.
        IncrementalValuesProvider<FallbackModel> fallbacks = results
            .Select(static (network, _) => network.Fallback)
            .Where(static fallback => fallback is not null)
            .Select(static (fallback, _) => fallback!)
            .WithTrackingName(TrackingNames.Fallback);
        context.RegisterSourceOutput(fallbacks, static (output, fallback) => output.AddSource(FallbackEmitter.HintName(fallback), FallbackEmitter.Emit(fallback)));

        // The additional files by name; only those some network names as its weights file are read. A network finds
        // its file by name, and the names of the others serve to suggest the closest to a misspelled one.
        IncrementalValueProvider<EquatableArray<string>> wantedNames = results
            .Select(static (network, _) => CompiledWeights.WantedName(network.Result.Model))
            .Where(static name => name is not null)
            .Collect()
            .Select(static (names, _) => names.Select(name => name!.ToLowerInvariant()).Distinct().OrderBy(name => name, System.StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.WeightsFileNames);
        IncrementalValueProvider<EquatableArray<AdditionalFileModel>> additionalFiles = context.AdditionalTextsProvider
            .Combine(wantedNames)
            .Select(static (pair, cancellationToken) => WeightsFileReader.Describe(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(TrackingNames.WeightsFiles)
            .Collect()
            .Select(static (files, _) => files.ToEquatableArray());

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> weightsDiagnostics = results
            .Where(static network => network.Result.Model?.WeightsFile is not null)
            .Combine(additionalFiles)
            .Select(static (pair, _) => CompiledWeights.Diagnose(pair.Left, pair.Right))
            .Where(static diagnostics => diagnostics.Length > 0)
            .WithTrackingName(TrackingNames.WeightsDiagnostics);
        context.RegisterSourceOutput(weightsDiagnostics, ReportDiagnostics);

        IncrementalValuesProvider<NetworkModel> networkModels = results
            .Select(static (network, _) => network.Result.Model)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.Model);

        // The network's file depends only on whether its weights fit, never on their values: new weights re-emit the
        // weights' file alone.
        IncrementalValuesProvider<EmissionModel> models = networkModels
            .Combine(additionalFiles)
            .Select(static (pair, _) => new EmissionModel(pair.Left, CompiledWeights.HasCompiledWeights(pair.Left, pair.Right)))
            .WithTrackingName(TrackingNames.Emission);
        context.RegisterSourceOutput(models, static (output, model) =>
            output.AddSource(NetworkEmitter.HintName(model.Network), NetworkEmitter.Emit(model.Network, model.HasCompiledWeights)));

        IncrementalValuesProvider<CompiledWeightsModel> compiledWeights = networkModels
            .Where(static model => model.WeightsFile is not null)
            .Combine(additionalFiles)
            .Select(static (pair, _) => CompiledWeights.WeightsToEmit(pair.Left, pair.Right))
            .Where(static weights => weights is not null)
            .Select(static (weights, _) => weights!)
            .WithTrackingName(TrackingNames.WeightsEmission);
        context.RegisterSourceOutput(compiledWeights, static (output, weights) =>
            output.AddSource(CompiledWeightsEmitter.HintName(weights.Type), CompiledWeightsEmitter.Emit(weights)));

        // The preprocessing saved with compiled-in weights, as a static property in a file of its own.
        IncrementalValuesProvider<CompiledPreprocessingModel> preprocessing = networkModels
            .Where(static model => model.WeightsFile is not null)
            .Combine(additionalFiles)
            .Select(static (pair, _) => CompiledPreprocessing.Find(pair.Left, pair.Right))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!);
        context.RegisterSourceOutput(preprocessing, static (output, model) =>
            output.AddSource(CompiledPreprocessing.HintName(model), CompiledPreprocessing.Emit(model)));
    }

    private static void ReportDiagnostics(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (DiagnosticInfo diagnostic in diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }

    /// <summary>[Network(WeightsOptional = true)]: a weights file that cannot be used is a warning, not an error.</summary>
    private static bool IsWeightsOptional(GeneratorAttributeSyntaxContext syntax)
        => syntax.Attributes.Length == 1
           && syntax.Attributes[0].NamedArguments.Any(static named => named.Key == "WeightsOptional" && named.Value.Value is true);
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

    /// <summary>The stand-in for a network whose declaration has an error.</summary>
    public const string Fallback = nameof(Fallback);

    /// <summary>The names of the weights files the networks declare: the additional files that are read.</summary>
    public const string WeightsFileNames = nameof(WeightsFileNames);

    /// <summary>An additional file: its name, and its weights read and checked when a network names it.</summary>
    public const string WeightsFiles = nameof(WeightsFiles);

    /// <summary>What is wrong with the weights file a network declares, if anything.</summary>
    public const string WeightsDiagnostics = nameof(WeightsDiagnostics);

    /// <summary>A network's model and whether its compiled-in weights fit: what the network's emitter reads.</summary>
    public const string Emission = nameof(Emission);

    /// <summary>A network's compiled-in weights: what the weights' emitter reads.</summary>
    public const string WeightsEmission = nameof(WeightsEmission);
}
