using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator;

/// <summary>What a layer parser reads and where it reports: one layer attribute, the shape before it, the diagnostics.</summary>
internal sealed class LayerParsingContext
{
    public LayerParsingContext(AttributeData attribute, int layerNumber, Shape input, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        Attribute = attribute;
        LayerNumber = layerNumber;
        Input = input;
        Diagnostics = diagnostics;
        CancellationToken = cancellationToken;
    }

    public AttributeData Attribute { get; }

    /// <summary>The layer's position, counting from 1 at the layer after the input.</summary>
    public int LayerNumber { get; }

    /// <summary>The shape the layer reads: the input's, or the output of the layer before.</summary>
    public Shape Input { get; }

    public List<DiagnosticInfo> Diagnostics { get; }

    /// <summary>The layer before this one, or null for the first layer.</summary>
    public LayerModel? Previous { get; init; }

    public CancellationToken CancellationToken { get; }

    /// <summary>The int constructor argument at <paramref name="position"/>, or null when it is not one.</summary>
    public int? IntArgument(int position)
        => position < Attribute.ConstructorArguments.Length && Attribute.ConstructorArguments[position].Value is int value ? value : null;

    /// <summary>The named argument's value when it is set and of type <typeparamref name="T"/>, else <paramref name="fallback"/>.</summary>
    public T Named<T>(string name, T fallback)
    {
        foreach (var named in Attribute.NamedArguments)
        {
            if (named.Key == name && named.Value.Value is T value)
            {
                return value;
            }
        }
        return fallback;
    }

    /// <summary>Whether an error has been reported for this layer.</summary>
    public bool HasErrors { get; private set; }

    public void Report(DiagnosticDescriptor descriptor, int position, string? namedArgument, params string[] arguments)
    {
        HasErrors |= descriptor.DefaultSeverity == DiagnosticSeverity.Error;
        Diagnostics.Add(NetworkParser.Diagnostic(descriptor, NetworkParser.ArgumentLocation(Attribute, position, namedArgument, CancellationToken), arguments));
    }

    /// <summary>Reports a size argument below 1 (NG0006) and returns whether it is at least 1.</summary>
    public bool CheckPositive(int value, string what, int position, string? namedArgument = null)
    {
        if (value >= 1)
        {
            return true;
        }
        Report(DiagnosticDescriptors.SizeNotPositive, position, namedArgument, $"{what} of layer {LayerNumber}", value.ToString(CultureInfo.InvariantCulture));
        return false;
    }

    /// <summary>Reports an undefined activation (NG0007) and returns whether it is defined.</summary>
    public bool CheckActivation(Activation activation, int position)
    {
        if (System.Enum.IsDefined(typeof(Activation), activation))
        {
            return true;
        }
        Report(DiagnosticDescriptors.UndefinedActivation, position, null, $"(Activation){(int)activation}");
        return false;
    }

    /// <summary>Reports a dropout rate outside [0, 1) (NG0017) and returns whether it is valid.</summary>
    public bool CheckDropout(float rate)
    {
        if (rate >= 0f && rate < 1f)
        {
            return true;
        }
        Report(DiagnosticDescriptors.DropoutOutOfRange, -1, "Dropout", LayerNumber.ToString(CultureInfo.InvariantCulture), rate.ToString("R", CultureInfo.InvariantCulture));
        return false;
    }

    /// <summary>Reports that the layer cannot read its input's shape (NG0027).</summary>
    public void ReportShape(string kind, string expected, string advice)
        => Report(DiagnosticDescriptors.LayerNeedsOtherShape, -1, null, LayerNumber.ToString(CultureInfo.InvariantCulture), kind, expected, Input.Describe(), advice);
}
