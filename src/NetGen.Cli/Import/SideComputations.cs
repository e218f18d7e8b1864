using NetGen.Onnx.Reading;
using Onnx;

namespace NetGen.Cli.Import;

/// <summary>
/// The nodes of a model that compute from the input's shape or from its token ids rather than from the chain of
/// layers, and what each of their results is: torch.onnx.export computes a recurrent layer's zero initial state from
/// the input's batch size (Shape, Gather, Unsqueeze, Concat, ConstantOfShape, Slice), and a padding-masked mean its
/// mask and count from the token ids (Equal, Not, Cast, Unsqueeze, ReduceSum, Clip or Max). The importer leaves these
/// nodes out of the chain; a layer that reads one of their results accepts only the form it expects (a zero state, the
/// mask of one padding id, the count of tokens floored at 1) and names anything else as a problem.
/// </summary>
internal sealed class SideComputations
{
    private readonly Dictionary<string, SideValue> _values = new(StringComparer.Ordinal);
    private readonly HashSet<NodeProto> _nodes = [];
    private readonly HashSet<string> _tokenIds = new(StringComparer.Ordinal);

    /// <summary>The nodes left out of the chain.</summary>
    public IReadOnlySet<NodeProto> Nodes => _nodes;

    /// <summary>The tensors that hold the token ids an embedding reads: the graph's input, and its Cast to integers.</summary>
    public IReadOnlySet<string> TokenIds => _tokenIds;

    /// <summary>What the side computation that writes <paramref name="tensor"/> computes, if one does.</summary>
    public bool TryGetValue(string tensor, out SideValue value) => _values.TryGetValue(tensor, out value);

    /// <summary>Finds the side computations of <paramref name="graph"/>; <paramref name="constants"/> holds its initializers and constants.</summary>
    public static SideComputations Analyze(GraphProto graph, IReadOnlyDictionary<string, TensorProto> constants)
    {
        var side = new SideComputations();
        side.FindTokenIds(graph, constants);
        foreach (NodeProto node in graph.Node)
        {
            if (node.OpType == "Constant" || node.Output.Count == 0)
            {
                continue;
            }
            string[] read = node.Input.Where(name => name.Length > 0 && !constants.ContainsKey(name)).ToArray();
            if (side.ReadsTokenIds(node, read) && node.OpType == "Cast" && Attribute(node, "to")?.I is (long)TensorProto.Types.DataType.Int64 or (long)TensorProto.Types.DataType.Int32)
            {
                // Another cast of the ids to integers (OnnxExport's mask casts the input apart from the embedding): ids still.
                side._nodes.Add(node);
                side._tokenIds.Add(node.Output[0]);
                continue;
            }
            SideValue? value = node.OpType == "Shape" ? new SideValue(SideKind.ShapeDerived)
                : side.ReadsTokenIds(node, read) ? FromTokenIds(node, constants)
                : read.Length > 0 && read.All(side._values.ContainsKey) ? side.FromSideValues(node, constants)
                : null;
            if (value is SideValue computed)
            {
                side._nodes.Add(node);
                foreach (string output in node.Output.Where(output => output.Length > 0))
                {
                    side._values[output] = computed;
                }
            }
        }
        return side;
    }

    /// <summary>The indices of every Gather from an initializer that reads the graph's input, directly or through a Cast.</summary>
    private void FindTokenIds(GraphProto graph, IReadOnlyDictionary<string, TensorProto> constants)
    {
        var casts = graph.Node.Where(node => node.OpType == "Cast" && node.Input.Count == 1 && node.Output.Count == 1)
            .ToDictionary(node => node.Output[0], node => node.Input[0], StringComparer.Ordinal);
        var inputs = graph.Input.Select(input => input.Name).Where(name => !constants.ContainsKey(name)).ToHashSet(StringComparer.Ordinal);
        foreach (NodeProto gather in graph.Node.Where(node => node.OpType == "Gather" && node.Input.Count == 2 && constants.ContainsKey(node.Input[0])))
        {
            string indices = gather.Input[1];
            if (inputs.Contains(indices))
            {
                _tokenIds.Add(indices);
            }
            else if (casts.TryGetValue(indices, out string? source) && inputs.Contains(source))
            {
                _tokenIds.Add(indices);
                _tokenIds.Add(source);
            }
        }
    }

    /// <summary>Whether the node compares or otherwise reads the token ids (the Cast that makes them and the embedding's Gather do not count).</summary>
    private bool ReadsTokenIds(NodeProto node, string[] read)
        => read.Any(_tokenIds.Contains) && !node.Output.Any(_tokenIds.Contains) && node.OpType != "Gather";

    private static SideValue FromTokenIds(NodeProto node, IReadOnlyDictionary<string, TensorProto> constants)
    {
        if (node.OpType == "Equal" && node.Input.Count == 2)
        {
            string? constant = node.Input.FirstOrDefault(constants.ContainsKey);
            if (constant is not null && TryScalar(constants[constant], out double id) && id == Math.Floor(id))
            {
                return new SideValue(SideKind.IsPadding, (long)id);
            }
        }
        return new SideValue(SideKind.OtherTokenDerived);
    }

    private SideValue FromSideValues(NodeProto node, IReadOnlyDictionary<string, TensorProto> constants)
    {
        SideValue first = node.Input.Count > 0 && _values.TryGetValue(node.Input[0], out SideValue value) ? value : new SideValue(SideKind.ShapeDerived);
        bool tokenDerived = node.Input.Any(name => _values.TryGetValue(name, out SideValue input) && input.IsTokenDerived);
        long[] axes = Axes(node, constants);
        long keepDims = Attribute(node, "keepdims")?.I ?? 1;
        SideValue? result = (node.OpType, first.Kind) switch
        {
            ("ConstantOfShape", _) => IsZero(Attribute(node, "value")?.T) ? new SideValue(SideKind.ZeroState) : new SideValue(SideKind.ShapeDerived),
            ("Slice" or "Gather" or "Squeeze" or "Unsqueeze" or "Reshape" or "Expand" or "Identity", SideKind.ZeroState) => first,
            ("Not", SideKind.IsPadding) => first with { Kind = SideKind.IsToken },
            ("Cast", SideKind.IsToken) when Attribute(node, "to")?.I == (long)TensorProto.Types.DataType.Float => first with { Kind = SideKind.TokenMask },
            ("Unsqueeze", SideKind.TokenMask) when axes.SequenceEqual([-1L]) || axes.SequenceEqual([2L]) => first with { Kind = SideKind.TokenColumn },
            ("ReduceSum", SideKind.TokenColumn) when axes.SequenceEqual([1L]) && keepDims == 0 => first with { Kind = SideKind.TokenCount },
            ("ReduceSum", SideKind.TokenMask) when axes.SequenceEqual([1L]) && keepDims == 1 => first with { Kind = SideKind.TokenCount },
            ("Clip", SideKind.TokenCount) when IsClipAtOne(node, constants) => first with { Kind = SideKind.TokenCountAtLeastOne },
            ("Max", SideKind.TokenCount) when node.Input.Count == 2 && constants.TryGetValue(node.Input[1], out TensorProto? floor)
                                              && TryScalar(floor, out double one) && one == 1 => first with { Kind = SideKind.TokenCountAtLeastOne },
            _ => null,
        };
        return result ?? new SideValue(tokenDerived ? SideKind.OtherTokenDerived : SideKind.ShapeDerived);
    }

    /// <summary>Clip(count, 1) with no maximum (the input left out, or the attribute form of opset 10 and before).</summary>
    private static bool IsClipAtOne(NodeProto node, IReadOnlyDictionary<string, TensorProto> constants)
    {
        if (Attribute(node, "min") is AttributeProto min)
        {
            return min.F == 1 && Attribute(node, "max") is null;
        }
        bool noMaximum = node.Input.Count < 3 || node.Input[2].Length == 0;
        return node.Input.Count >= 2 && constants.TryGetValue(node.Input[1], out TensorProto? floor) && TryScalar(floor, out double value) && value == 1 && noMaximum;
    }

    /// <summary>A reduction's or an Unsqueeze's axes, from the attribute (before opset 13) or the second input.</summary>
    private static long[] Axes(NodeProto node, IReadOnlyDictionary<string, TensorProto> constants)
        => Attribute(node, "axes")?.Ints.ToArray()
           ?? (node.Input.Count > 1 && constants.TryGetValue(node.Input[1], out TensorProto? axes) && axes.DataType == (int)TensorProto.Types.DataType.Int64
               ? OnnxTensors.Int64s(axes) : []);

    private static bool IsZero(TensorProto? value)
        => value is null || (TryScalar(value, out double scalar) && scalar == 0);

    /// <summary>The one value of a float, double, int32 or int64 tensor.</summary>
    public static bool TryScalar(TensorProto tensor, out double value)
    {
        value = 0;
        if (OnnxTensors.Count(tensor) != 1)
        {
            return false;
        }
        switch ((TensorProto.Types.DataType)tensor.DataType)
        {
            case TensorProto.Types.DataType.Float:
                value = OnnxTensors.Floats(tensor)[0];
                return true;
            case TensorProto.Types.DataType.Int64:
                value = OnnxTensors.Int64s(tensor)[0];
                return true;
            case TensorProto.Types.DataType.Int32:
                value = tensor.RawData.IsEmpty ? tensor.Int32Data.FirstOrDefault() : BitConverter.ToInt32(tensor.RawData.Span);
                return tensor.RawData.IsEmpty ? tensor.Int32Data.Count == 1 : tensor.RawData.Length == 4;
            default:
                return false;
        }
    }

    private static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);
}
