using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator;

// The model the parser builds and the emitter reads. Every type here is a value: records of primitives, strings,
// enums and EquatableArray, never a symbol, syntax node or compilation, so that an edit which leaves a network's
// declaration as it was produces an equal model and the pipeline stops before emitting.

/// <summary>A declared network: everything the emitter needs.</summary>
internal sealed record NetworkModel(
    TypeHierarchy Type,
    Loss Loss,
    int InputSize,
    EquatableArray<LayerModel> Layers,
    int UnrollThreshold,
    string? CustomLossMethod = null,
    string? WeightsFile = null)
{
    public int ParameterCount
    {
        get
        {
            int count = 0;
            foreach (LayerModel layer in Layers)
            {
                count += layer.ParameterCount;
            }
            return count;
        }
    }

    /// <summary>The shape fingerprint weights files carry (the same code as the runtime's, linked).</summary>
    public ulong Fingerprint
    {
        get
        {
            var shape = new List<(int Kind, int InputSize, int OutputSize, int Activation)>();
            foreach (LayerModel layer in Layers)
            {
                shape.Add(((int)layer.Kind, layer.InputSize, layer.OutputSize, (int)layer.Activation));
            }
            return ShapeFingerprint.Compute(InputSize, shape);
        }
    }

    public int OutputSize => Layers[Layers.Length - 1].OutputSize;

    public LayerModel OutputLayer => Layers[Layers.Length - 1];

    public bool HasDropout
    {
        get
        {
            foreach (LayerModel layer in Layers)
            {
                if (layer.DropoutRate > 0f)
                {
                    return true;
                }
            }
            return false;
        }
    }
}

/// <summary>
/// One layer. Each kind of layer is a record deriving from this one with an emitter of its own
/// (see <see cref="LayerEmitter"/>), so a new kind adds a record and an emitter and changes nothing else.
/// </summary>
internal abstract record LayerModel(int InputSize, int OutputSize, Activation Activation)
{
    public abstract LayerKind Kind { get; }

    /// <summary>How many parameters the layer owns in the flat parameter vector.</summary>
    public abstract int ParameterCount { get; }

    /// <summary>Multiplications and additions in one forward pass (an addition and a multiplication count as two).</summary>
    public abstract long FlopsPerPrediction { get; }

    /// <summary>The probability of dropping each output while training; 0 when the layer has no dropout.</summary>
    public virtual float DropoutRate => 0f;
}

/// <summary>A fully connected layer: z = W x + b with W of <c>OutputSize x InputSize</c>, row-major.</summary>
internal sealed record DenseLayerModel(int InputSize, int OutputSize, Activation Activation, float Dropout = 0f)
    : LayerModel(InputSize, OutputSize, Activation)
{
    public override float DropoutRate => Dropout;

    public override LayerKind Kind => LayerKind.Dense;

    public int WeightCount => InputSize * OutputSize;

    public override int ParameterCount => WeightCount + OutputSize;

    public override long FlopsPerPrediction => 2L * InputSize * OutputSize;
}

/// <summary>Where the generated partial class goes: its namespace and the types it is nested in, outermost first.</summary>
/// <remarks>Names are as they are written in C#: a keyword used as a name keeps its '@'.</remarks>
internal sealed record TypeHierarchy(string Namespace, string Name, EquatableArray<ContainingType> ContainingTypes)
{
    /// <summary>The full name without '@' escapes: the generated file's name.</summary>
    public string HintName => FullName.Replace("@", "");

    public string FullName
    {
        get
        {
            string name = Name;
            for (int i = ContainingTypes.Length - 1; i >= 0; i--)
            {
                name = ContainingTypes[i].Name + "." + name;
            }
            return Namespace.Length == 0 ? name : Namespace + "." + name;
        }
    }
}

/// <summary>A type the network class is nested in, with the keyword that declares it (class, struct, record...).</summary>
internal sealed record ContainingType(string Keyword, string Name);

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

/// <summary>What the parser makes of one <c>[Network]</c> class: a model when it can be generated, and diagnostics.</summary>
internal sealed record ParseResult(NetworkModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo? WeightsLocation = null);

/// <summary>
/// A weights file among the compilation's additional files, read and checked: its parameters as the bits of each
/// float, or why it cannot be used.
/// </summary>
internal sealed record WeightsFileModel(string FileName, string? Error, int ParameterCount, ulong Fingerprint, EquatableArray<int> ParameterBits);

/// <summary>What the emitter needs for one network: its model, and whether compiled-in weights that check out are emitted beside it (CompiledWeightsEmitter).</summary>
internal sealed record EmissionModel(NetworkModel Network, bool HasCompiledWeights);
