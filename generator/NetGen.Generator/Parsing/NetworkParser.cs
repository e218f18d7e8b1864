using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.Generator;

/// <summary>
/// Reads one class carrying <c>[Network]</c> into a <see cref="NetworkModel"/>, checking everything the emitter
/// relies on. Whatever would make the generated code fail to compile is reported here, so no error ever shows up
/// inside a generated file.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "NetGen.NetworkAttribute";
    private const string InputAttributeName = "NetGen.InputAttribute";
    private const string LossFunctionAttributeName = "NetGen.LossFunctionAttribute";

    /// <summary>The most parameters a network may have: 1 GiB of floats, and every size and offset fits an int.</summary>
    public const long MaxParameters = 1L << 28;

    /// <summary>Training scratch above this many bytes would risk the stack of a thread-pool thread: it goes in a per-thread workspace instead.</summary>
    public const int MaxScratchBytes = 128 * 1024;

    /// <summary>The most scratch one training pass may take from its thread's workspace: 256 MiB.</summary>
    public const long MaxWorkspaceBytes = 256L * 1024 * 1024;

    /// <summary>The members the emitter declares in the user's class; the user's part must not declare them.</summary>
    public static readonly string[] GeneratedMemberNames =
    {
        "InputSize", "OutputSize", "ParameterCount", "Parameters", "Layers", "InitializeParameters",
        "Predict", "Evaluate", "AccumulateGradient", "AccumulateBatchGradient", "ComputeBatchGradient", "SgdStep",
        LanePassEmitter.FusesBatchStepName, LanePassEmitter.BatchStepName,
        NetworkEmitter.PacksForPredictionName, NetworkEmitter.PackForPredictionName, NetworkEmitter.PredictPackedName,
        LayerOutputsEmitter.MethodName, LayerOutputsEmitter.SizeName,
        NetworkEmitter.ParametersField, NetworkEmitter.KernelsClass,
        StreamingEmitter.StateType, StreamingEmitter.StepMethod,
    };

    public static bool IsCandidate(SyntaxNode node, CancellationToken _) => node is TypeDeclarationSyntax;

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var model = TryParse(context, diagnostics, cancellationToken);
        LocationInfo? weightsLocation = model?.WeightsFile is null ? null : ArgumentLocation(context.Attributes[0], -1, "Weights", cancellationToken);
        return new ParseResult(model, diagnostics.ToEquatableArray(), weightsLocation);
    }

    private static NetworkModel? TryParse(GeneratorAttributeSyntaxContext context, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration)
        {
            return null;
        }
        if (declaration.Identifier.IsMissing || type.Name.Length == 0)
        {
            return null; // mid-keystroke: the compiler already reports the missing name
        }
        var identifier = LocationInfo.From(declaration.Identifier.GetLocation());

        // [Network] on two partial declarations is already a compiler error (CS0579); generate once, for the first.
        var networkAttributes = type.GetAttributes().Where(a => IsAttribute(a, NetworkAttributeName)).ToList();
        if (networkAttributes.Count != 1 || context.Attributes.Length != 1)
        {
            return null;
        }
        AttributeData network = networkAttributes[0];
        if (network.AttributeConstructor is null)
        {
            return null; // the compiler reports why the attribute does not bind
        }
        if (!CheckType(type, declaration, identifier, diagnostics))
        {
            return null;
        }

        var declared = ReadLayerAttributes(type, declaration, identifier, diagnostics, cancellationToken);
        if (declared is null)
        {
            return null;
        }
        var (input, layerAttributes) = declared.Value;
        bool valid = ReadNetworkArguments(network, diagnostics, cancellationToken, out Loss loss, out int unrollThreshold, out string? weightsFile);

        if (input is null)
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.MissingInput, identifier, type.Name));
            return null;
        }
        Shape? inputShape = ReadInputShape(input, diagnostics, cancellationToken, ref valid);
        if (inputShape is null)
        {
            return null;
        }
        if (layerAttributes.Count == 0)
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.NoLayers, identifier, type.Name));
            return null;
        }
        var layers = ReadLayers(inputShape, layerAttributes, diagnostics, cancellationToken);
        if (layers is null || !valid)
        {
            return null;
        }
        long parameterCount = layers.Sum(l => l.Layer.LongParameterCount);
        if (parameterCount > MaxParameters)
        {
            // Checked before anything multiplies sizes as ints: a layer of int.MaxValue units must be an error, not an overflow.
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.TooManyParameters, identifier, type.Name, parameterCount.ToString(), MaxParameters.ToString()));
            return null;
        }
        long largestOutput = Math.Max(inputShape.LongSize, layers.Max(l => l.Layer.OutputShape.LongSize));
        if (largestOutput > MaxParameters)
        {
            // An output whose size might not fit an int cannot be on the stack either; said before anything adds sizes as ints.
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.ScratchTooLarge, identifier, type.Name, (largestOutput * sizeof(float)).ToString(), MaxWorkspaceBytes.ToString()));
            return null;
        }

        valid &= CheckActivations(layers, cancellationToken, diagnostics);
        LayerModel output = layers[layers.Count - 1].Layer;
        if (output is not DenseLayerModel)
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.OutputLayerNotDense, ArgumentLocation(layers[layers.Count - 1].Data, -1, null, cancellationToken), layers.Count.ToString(), output.Kind.ToString()));
            return null;
        }
        valid &= CheckLossFitsOutput(network, loss, output, cancellationToken, diagnostics);
        valid &= CheckMemberNames(type, identifier, diagnostics, StreamingEmitter.Streams(layers.Select(l => l.Layer).ToList()));
        string? customLoss = FindCustomLoss(type, loss, identifier, diagnostics, ref valid);

        TypeHierarchy? hierarchy = TypeHierarchyOf(type);
        if (hierarchy is null)
        {
            return null; // a containing type or namespace without a name yet: the compiler reports it
        }
        var model = new NetworkModel(
            hierarchy,
            loss,
            inputShape,
            layers.Select(l => l.Layer).ToEquatableArray(),
            unrollThreshold,
            customLoss,
            weightsFile);

        long scratchBytes = NetworkEmitter.TrainingScratchFloats(model) * sizeof(float);
        // A recurrent layer's backward pass keeps every step's gate gradients on the stack (its states and gates from the
        // forward pass are in the pass's scratch): that part never moves to the workspace, so it alone must fit the stack budget.
        long recurrentBytes = model.Layers.OfType<RecurrentLayerModel>().Select(l => l.BackwardScratchFloats * sizeof(float)).DefaultIfEmpty(0L).Max();
        if (recurrentBytes > MaxScratchBytes)
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.ScratchTooLarge, identifier, type.Name, recurrentBytes.ToString(), MaxScratchBytes.ToString()));
            valid = false;
        }
        else if (scratchBytes > MaxWorkspaceBytes)
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.ScratchTooLarge, identifier, type.Name, scratchBytes.ToString(), MaxWorkspaceBytes.ToString()));
            valid = false;
        }
        return valid ? model : null;
    }

    /// <summary>
    /// The [Input] attribute, wherever it stands, and the layer attributes in source order; null when an attribute does
    /// not bind (the compiler says why) or the attributes are split across partial declarations.
    /// </summary>
    private static (AttributeData? Input, List<AttributeData> Layers)? ReadLayerAttributes(
        INamedTypeSymbol type, TypeDeclarationSyntax declaration, LocationInfo? identifier, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var ordered = new List<(AttributeData Data, AttributeSyntax Syntax)>();
        bool split = false;
        foreach (AttributeData attribute in type.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsAttribute(attribute, InputAttributeName) && ParserFor(attribute) is null)
            {
                continue;
            }
            if (attribute.AttributeConstructor is null || attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
            {
                return null; // unbound attribute: the compiler already says what is wrong with it
            }
            if (syntax.SyntaxTree != declaration.SyntaxTree || !declaration.Span.Contains(syntax.Span))
            {
                split = true;
            }
            ordered.Add((attribute, syntax));
        }
        if (split)
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.LayersSplitAcrossDeclarations, identifier, type.Name));
            return null;
        }
        ordered.Sort((a, b) => a.Syntax.SpanStart.CompareTo(b.Syntax.SpanStart));
        // [Input] may stand anywhere among the layers (it describes the data, not a step): the layers keep their order.
        var inputs = ordered.Where(a => IsAttribute(a.Data, InputAttributeName)).ToList();
        if (inputs.Count > 1)
        {
            return null; // CS0579 already: [Input] may appear once
        }
        return (inputs.Count == 1 ? inputs[0].Data : null, ordered.Where(a => !IsAttribute(a.Data, InputAttributeName)).Select(a => a.Data).ToList());
    }

    private static bool ReadNetworkArguments(AttributeData network, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken, out Loss loss, out int unrollThreshold, out string? weightsFile)
    {
        bool valid = true;
        loss = Loss.MeanSquaredError;
        unrollThreshold = 64;
        weightsFile = null;
        foreach (var named in network.NamedArguments)
        {
            if (named.Key == "Loss" && named.Value.Value is int lossValue)
            {
                loss = (Loss)lossValue;
                if (!Enum.IsDefined(typeof(Loss), loss))
                {
                    diagnostics.Add(Diagnostic(DiagnosticDescriptors.UndefinedLoss, ArgumentLocation(network, -1, "Loss", cancellationToken), $"(Loss){lossValue}"));
                    valid = false;
                }
            }
            else if (named.Key == "Weights" && named.Value.Value is string weights && weights.Length > 0)
            {
                weightsFile = weights;
            }
            else if (named.Key == "UnrollThreshold" && named.Value.Value is int threshold)
            {
                unrollThreshold = threshold;
                if (threshold < 0)
                {
                    diagnostics.Add(Diagnostic(DiagnosticDescriptors.UnrollThresholdNegative, ArgumentLocation(network, -1, "UnrollThreshold", cancellationToken), threshold.ToString()));
                    valid = false;
                }
            }
        }
        return valid;
    }

    /// <summary>[Input(n)], [Input(steps, features)] or [Input(channels, height, width)]; null when a dimension is below 1.</summary>
    /// <remarks>A dimension below 1 is reported and clears <paramref name="valid"/>, but the shape is returned, so that the layers are checked too.</remarks>
    private static Shape? ReadInputShape(AttributeData input, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken, ref bool valid)
    {
        var dimensions = new List<int>();
        foreach (TypedConstant argument in input.ConstructorArguments)
        {
            if (argument.Value is not int dimension)
            {
                return null;
            }
            dimensions.Add(dimension);
        }
        string[] names = dimensions.Count switch
        {
            1 => new[] { "The input size" },
            2 => new[] { "The number of input steps", "The number of input features" },
            _ => new[] { "The number of input channels", "The input height", "The input width" },
        };
        if (dimensions.Count is < 1 or > 3)
        {
            return null;
        }
        bool positive = true;
        for (int i = 0; i < dimensions.Count; i++)
        {
            if (dimensions[i] < 1)
            {
                diagnostics.Add(Diagnostic(DiagnosticDescriptors.SizeNotPositive, ArgumentLocation(input, i, null, cancellationToken), names[i], dimensions[i].ToString()));
                positive = false;
            }
        }
        valid &= positive;
        // An image or sequence with an empty dimension has no shape the layers could be checked against.
        return positive || dimensions.Count == 1 ? new Shape(dimensions.ToEquatableArray()) : null;
    }

    /// <summary>Each layer read by its kind's parser from the shape before it; null at the first layer that is wrong.</summary>
    private static List<(LayerModel Layer, AttributeData Data)>? ReadLayers(Shape input, List<AttributeData> attributes, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var layers = new List<(LayerModel Layer, AttributeData Data)>();
        Shape shape = input;
        bool valid = true;
        foreach (AttributeData attribute in attributes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var context = new LayerParsingContext(attribute, layers.Count + 1, shape, diagnostics, cancellationToken)
            {
                Previous = layers.Count > 0 ? layers[layers.Count - 1].Layer : null,
            };
            LayerModel? layer = ParserFor(attribute)!.Parse(context);
            if (layer is null)
            {
                return null; // the shapes of the layers after it are unknown: stop here
            }
            valid &= !context.HasErrors;
            layers.Add((layer, attribute));
            shape = layer.OutputShape;
        }
        return valid ? layers : null;
    }

    /// <summary>Where the activation stands among the attribute's constructor arguments (Dense: 1, Conv2D: 2).</summary>
    private static int ActivationPosition(AttributeData attribute)
    {
        var parameters = attribute.AttributeConstructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty;
        for (int i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].Name == "activation")
            {
                return i;
            }
        }
        return -1;
    }

    private static ILayerParser? ParserFor(AttributeData attribute)
    {
        string? name = attribute.AttributeClass?.ToDisplayString();
        foreach (ILayerParser parser in LayerParsers)
        {
            if (parser.AttributeName == name)
            {
                return parser;
            }
        }
        return null;
    }

    /// <summary>One parser per kind of layer attribute.</summary>
    private static readonly ILayerParser[] LayerParsers =
    {
        new DenseLayerParser(),
        new Conv2DLayerParser(),
        Pool2DLayerParser.Max,
        Pool2DLayerParser.Average,
        new FlattenLayerParser(),
        new GlobalAveragePoolLayerParser(),
        new EmbeddingLayerParser(),
        RecurrentLayerParser.SimpleRnn,
        RecurrentLayerParser.Lstm,
        RecurrentLayerParser.Gru,
    };

    internal static bool CheckType(INamedTypeSymbol type, TypeDeclarationSyntax declaration, LocationInfo? identifier, List<DiagnosticInfo> diagnostics)
    {
        string? problem =
            type.TypeKind != TypeKind.Class ? $"it is a {KeywordOf(type)}; NetGen generates networks into classes" :
            type.IsRecord ? "it is a record; NetGen generates networks into plain classes" :
            type.IsStatic ? "it is static, and a network is an object that holds its parameters" :
            type.TypeParameters.Length > 0 ? "it is generic, and a network's sizes are fixed by its declaration" :
            type.IsFileLocal ? "it is a file-local type, which a generated file cannot extend" :
            null;
        if (problem is not null)
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.UnsupportedType, identifier, type.Name, problem));
            return false;
        }
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.NotPartial, identifier, type.Name));
            return false;
        }
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            string? outerProblem =
                outer.TypeParameters.Length > 0 ? "is generic" :
                !IsPartial(outer) ? "is not partial: declare it partial too" :
                null;
            if (outerProblem is not null)
            {
                diagnostics.Add(Diagnostic(DiagnosticDescriptors.UnsupportedContainingType, identifier, type.Name, outer.Name, outerProblem));
                return false;
            }
        }
        return true;
    }

    private static bool IsPartial(INamedTypeSymbol type)
        => type.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static bool CheckActivations(List<(LayerModel Layer, AttributeData Data)> layers, CancellationToken cancellationToken, List<DiagnosticInfo> diagnostics)
    {
        bool valid = true;
        for (int i = 0; i < layers.Count; i++)
        {
            var (layer, data) = layers[i];
            if (layer.Activation == Activation.Softmax && i != layers.Count - 1)
            {
                diagnostics.Add(Diagnostic(DiagnosticDescriptors.SoftmaxNotOnOutput, ArgumentLocation(data, ActivationPosition(data), null, cancellationToken), (i + 1).ToString()));
                valid = false;
            }
            if (layer.DropoutRate > 0f && i == layers.Count - 1)
            {
                diagnostics.Add(Diagnostic(DiagnosticDescriptors.DropoutOnOutputLayer, ArgumentLocation(data, -1, "Dropout", cancellationToken), (i + 1).ToString()));
                valid = false;
            }
            if (layer.Activation == Activation.Step && layers.Count > 1)
            {
                diagnostics.Add(Diagnostic(DiagnosticDescriptors.StepInMultiLayerNetwork, ArgumentLocation(data, ActivationPosition(data), null, cancellationToken), (i + 1).ToString()));
                valid = false;
            }
        }
        return valid;
    }

    /// <summary>The [LossFunction] method's name when the loss is Custom and the method is right; reports what is wrong otherwise.</summary>
    private static string? FindCustomLoss(INamedTypeSymbol type, Loss loss, LocationInfo? identifier, List<DiagnosticInfo> diagnostics, ref bool valid)
    {
        var marked = type.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.GetAttributes().Any(a => IsAttribute(a, LossFunctionAttributeName)))
            .ToList();
        if (loss != Loss.Custom)
        {
            foreach (IMethodSymbol method in marked)
            {
                diagnostics.Add(Diagnostic(DiagnosticDescriptors.LossFunctionUnused, LocationInfo.From(method.Locations.FirstOrDefault()), method.Name, loss.ToString()));
                valid = false;
            }
            return null;
        }
        if (marked.Count != 1)
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.CustomLossMethodMissing, identifier, type.Name, marked.Count.ToString()));
            valid = false;
            return null;
        }
        IMethodSymbol lossFunction = marked[0];
        string? problem =
            !lossFunction.IsStatic ? "it is not static" :
            lossFunction.IsGenericMethod ? "it is generic" :
            lossFunction.ReturnType.SpecialType != SpecialType.System_Single ? $"it returns {lossFunction.ReturnType.ToDisplayString()}, not float" :
            lossFunction.Parameters.Length != 3 ? $"it takes {lossFunction.Parameters.Length} parameters, not 3" :
            !IsSpanOfFloat(lossFunction.Parameters[0], "System.ReadOnlySpan<T>") ? "its first parameter is not ReadOnlySpan<float>" :
            !IsSpanOfFloat(lossFunction.Parameters[1], "System.ReadOnlySpan<T>") ? "its second parameter is not ReadOnlySpan<float>" :
            !IsSpanOfFloat(lossFunction.Parameters[2], "System.Span<T>") ? "its third parameter is not Span<float>" :
            null;
        if (problem is not null)
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.LossFunctionSignature, LocationInfo.From(lossFunction.Locations.FirstOrDefault()) ?? identifier, lossFunction.Name, problem));
            valid = false;
            return null;
        }
        return lossFunction.Name;
    }

    private static bool IsSpanOfFloat(IParameterSymbol parameter, string spanType)
        => parameter.RefKind == RefKind.None
           && parameter.Type is INamedTypeSymbol { TypeArguments.Length: 1 } named
           && named.ConstructedFrom.ToDisplayString() == spanType
           && named.TypeArguments[0].SpecialType == SpecialType.System_Single;

    private static bool CheckLossFitsOutput(AttributeData network, Loss loss, LayerModel output, CancellationToken cancellationToken, List<DiagnosticInfo> diagnostics)
    {
        var location = ArgumentLocation(network, -1, "Loss", cancellationToken);
        if (loss == Loss.CrossEntropy && output.Activation != Activation.Softmax)
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.LossDoesNotFitOutput, location,
                "Loss.CrossEntropy", "Softmax", output.Activation.ToString(), output.Activation == Activation.Sigmoid ? "BinaryCrossEntropy" : "MeanSquaredError"));
            return false;
        }
        if (loss == Loss.BinaryCrossEntropy && output.Activation != Activation.Sigmoid)
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.LossDoesNotFitOutput, location,
                "Loss.BinaryCrossEntropy", "Sigmoid", output.Activation.ToString(), output.Activation == Activation.Softmax ? "CrossEntropy" : "MeanSquaredError"));
            return false;
        }
        if (loss == Loss.MeanSquaredError && output.Activation == Activation.Softmax)
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.MeanSquaredErrorOverSoftmax, location));
        }
        return true;
    }

    private static bool CheckMemberNames(INamedTypeSymbol type, LocationInfo? identifier, List<DiagnosticInfo> diagnostics, bool streams)
    {
        bool valid = true;
        foreach (string name in GeneratedMemberNames)
        {
            if (!streams && StreamingEmitter.MemberNames.Contains(name))
            {
                continue; // only a streaming network declares them
            }
            if (type.Name == name)
            {
                // A member cannot have its class's name (CS0542): the class itself takes it.
                diagnostics.Add(Diagnostic(DiagnosticDescriptors.MemberAlreadyDeclared, identifier, type.Name, name));
                valid = false;
                continue;
            }
            // The class's own members, and those of its base classes, which a generated member would hide.
            for (INamedTypeSymbol? owner = type; owner is not null && owner.SpecialType != SpecialType.System_Object; owner = owner.BaseType)
            {
                ISymbol? member = owner.GetMembers(name).FirstOrDefault(m => !m.IsImplicitlyDeclared && (SymbolEqualityComparer.Default.Equals(owner, type) || m.DeclaredAccessibility != Accessibility.Private));
                if (member is null)
                {
                    continue;
                }
                LocationInfo? location = SymbolEqualityComparer.Default.Equals(owner, type) ? LocationInfo.From(member.Locations.FirstOrDefault()) ?? identifier : identifier;
                diagnostics.Add(Diagnostic(DiagnosticDescriptors.MemberAlreadyDeclared, location, SymbolEqualityComparer.Default.Equals(owner, type) ? type.Name : $"{type.Name}'s base class {owner.Name}", name));
                valid = false;
                break;
            }
        }
        return valid;
    }

    internal static TypeHierarchy? TypeHierarchyOf(INamedTypeSymbol type)
    {
        var containing = new List<ContainingType>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing.Insert(0, new ContainingType(KeywordOf(outer), Escape(outer.Name)));
        }
        var namespaces = new List<string>();
        for (INamespaceSymbol? n = type.ContainingNamespace; n is { IsGlobalNamespace: false }; n = n.ContainingNamespace)
        {
            namespaces.Insert(0, Escape(n.Name));
        }
        if (namespaces.Any(n => n.Length == 0) || containing.Any(c => c.Name.Length == 0))
        {
            return null;
        }
        return new TypeHierarchy(string.Join(".", namespaces), Escape(type.Name), containing.ToEquatableArray());
    }

    /// <summary>A name as C# must write it: with '@' when it is a keyword.</summary>
    private static string Escape(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.RecordKeyword
            ? "@" + name
            : name;

    private static string KeywordOf(INamedTypeSymbol type) => type.TypeKind switch
    {
        TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
        TypeKind.Interface => "interface",
        TypeKind.Enum => "enum",
        TypeKind.Delegate => "delegate",
        _ => type.IsRecord ? "record" : "class",
    };

    private static bool IsAttribute(AttributeData attribute, string fullName)
        => attribute.AttributeClass is { } c && c.ToDisplayString() == fullName;

    /// <summary>The location of a constructor argument (by position) or a named argument, else of the whole attribute.</summary>
    internal static LocationInfo? ArgumentLocation(AttributeData attribute, int position, string? name, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
        {
            return null;
        }
        if (syntax.ArgumentList is { } list)
        {
            string? parameterName = position >= 0 && attribute.AttributeConstructor is { } constructor && position < constructor.Parameters.Length
                ? constructor.Parameters[position].Name
                : null;
            int index = 0;
            foreach (AttributeArgumentSyntax argument in list.Arguments)
            {
                if (argument.NameEquals is { } nameEquals)
                {
                    if (nameEquals.Name.Identifier.ValueText == name)
                    {
                        return LocationInfo.From(argument.GetLocation());
                    }
                    continue;
                }
                // A constructor argument: matched by its name when it has one ("units: 1"), else by its position.
                bool matches = argument.NameColon is { } nameColon
                    ? nameColon.Name.Identifier.ValueText == parameterName
                    : index == position;
                if (name is null && matches)
                {
                    return LocationInfo.From(argument.GetLocation());
                }
                index++;
            }
        }
        return LocationInfo.From(syntax.GetLocation());
    }

    internal static DiagnosticInfo Diagnostic(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments)
        => new(descriptor.Id, location, arguments.ToEquatableArray());
}
