using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.Generator;

/// <summary>
/// What the stand-in for a network whose declaration has an error needs (<see cref="FallbackEmitter"/>): where the class
/// is, the sizes that can be known from its attributes, and the error's message, which every member throws.
/// </summary>
internal sealed record FallbackModel(TypeHierarchy Type, int? InputSize, int? OutputSize, int? ParameterCount, Loss? Loss, string Message)
{
    private const string InputAttributeName = "NetGen.InputAttribute";
    private const string DenseAttributeName = "NetGen.DenseAttribute";

    /// <summary>
    /// The stand-in for a class the parser reported an error for, or null: when the declaration is valid, when nothing
    /// can be emitted into the class without an error of its own (not partial, not a plain class, a containing type that
    /// is not partial, a member with a generated member's name), or when only the compiler has something to say.
    /// </summary>
    public static FallbackModel? For(GeneratorAttributeSyntaxContext context, ParseResult result, CancellationToken cancellationToken)
    {
        if (result.Model is not null)
        {
            return null;
        }
        DiagnosticInfo? error = result.Diagnostics.FirstOrDefault(d => DiagnosticDescriptors.ById(d.DescriptorId).DefaultSeverity == DiagnosticSeverity.Error);
        if (error is null || context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration)
        {
            return null;
        }
        if (!NetworkParser.CheckType(type, declaration, null, new List<DiagnosticInfo>()) || HasGeneratedMemberName(type))
        {
            return null;
        }
        TypeHierarchy? hierarchy = NetworkParser.TypeHierarchyOf(type);
        if (hierarchy is null)
        {
            return null;
        }
        cancellationToken.ThrowIfCancellationRequested();

        int? inputSize = SingleInputSize(type);
        int[]? units = Units(type, declaration, cancellationToken);
        int? outputSize = units is { Length: > 0 } && units[units.Length - 1] >= 1 ? units[units.Length - 1] : null;
        return new FallbackModel(hierarchy, inputSize, outputSize, ParameterCountOf(inputSize, units), LossOf(context.Attributes[0]), MessageOf(type, error));
    }

    private static string MessageOf(INamedTypeSymbol type, DiagnosticInfo error)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.ById(error.DescriptorId);
        string message = string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), error.Arguments.Cast<object>().ToArray());
        return $"NetGen did not generate the network '{type.Name}': its declaration has error {descriptor.Id}: {message}";
    }

    /// <summary>Whether the class, or a base class it would hide, already declares a member the network's code would.</summary>
    private static bool HasGeneratedMemberName(INamedTypeSymbol type)
    {
        foreach (string name in NetworkParser.GeneratedMemberNames)
        {
            if (type.Name == name)
            {
                return true;
            }
            for (INamedTypeSymbol? owner = type; owner is not null && owner.SpecialType != SpecialType.System_Object; owner = owner.BaseType)
            {
                bool own = SymbolEqualityComparer.Default.Equals(owner, type);
                if (owner.GetMembers(name).Any(m => !m.IsImplicitlyDeclared && (own || m.DeclaredAccessibility != Accessibility.Private)))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static int? SingleInputSize(INamedTypeSymbol type)
    {
        var inputs = type.GetAttributes().Where(a => Is(a, InputAttributeName)).ToList();
        return inputs.Count == 1 && inputs[0].ConstructorArguments.Length == 1 && inputs[0].ConstructorArguments[0].Value is int size && size >= 1 ? size : null;
    }

    /// <summary>Every dense layer's units in source order (some maybe less than 1), or null when a layer's do not bind or the layers are split across files.</summary>
    private static int[]? Units(INamedTypeSymbol type, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var layers = new List<(int Position, int Units)>();
        foreach (AttributeData attribute in type.GetAttributes().Where(a => Is(a, DenseAttributeName)))
        {
            if (attribute.ApplicationSyntaxReference is not { } reference || reference.SyntaxTree != declaration.SyntaxTree
                || attribute.ConstructorArguments.Length < 1 || attribute.ConstructorArguments[0].Value is not int units)
            {
                return null;
            }
            cancellationToken.ThrowIfCancellationRequested();
            layers.Add((reference.Span.Start, units));
        }
        return layers.OrderBy(l => l.Position).Select(l => l.Units).ToArray();
    }

    private static int? ParameterCountOf(int? inputSize, int[]? units)
    {
        if (inputSize is not { } previous || units is not { Length: > 0 })
        {
            return null;
        }
        long count = 0;
        foreach (int layerUnits in units)
        {
            if (layerUnits < 1)
            {
                return null;
            }
            count += (long)previous * layerUnits + layerUnits;
            previous = layerUnits;
        }
        return count <= NetworkParser.MaxParameters ? (int)count : null;
    }

    private static Loss? LossOf(AttributeData network)
    {
        foreach (var named in network.NamedArguments)
        {
            if (named.Key == "Loss")
            {
                return named.Value.Value is int value && Enum.IsDefined(typeof(global::NetGen.Loss), value) ? (global::NetGen.Loss)value : null;
            }
        }
        return global::NetGen.Loss.MeanSquaredError;
    }

    private static bool Is(AttributeData attribute, string fullName)
        => attribute.AttributeClass is { } c && c.ToDisplayString() == fullName;
}
