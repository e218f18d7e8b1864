using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace NetGen.Onnx.Export;

/// <summary>Builds an onnx.GraphProto node by node: unique tensor names, initializers, attributes.</summary>
internal sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string name)
    {
        Graph = new GraphProto { Name = name };
    }

    /// <summary>The graph built so far.</summary>
    public GraphProto Graph { get; }

    /// <summary>A tensor or node name not used yet: <paramref name="name"/>, or it with a number after it.</summary>
    public string UniqueName(string name)
    {
        string unique = name;
        for (int suffix = 1; !_names.Add(unique); suffix++)
        {
            unique = $"{name}_{suffix}";
        }
        return unique;
    }

    /// <summary>Adds a node computing <paramref name="opType"/> of <paramref name="inputs"/>; returns the name of its one output.</summary>
    public string Node(string opType, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string output = UniqueName(name);
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>
    /// Adds a node with several outputs, of which only those named in <paramref name="used"/> (by position) are
    /// written; the others are left out as ONNX's optional outputs are, by an empty name. Returns the used outputs' names.
    /// </summary>
    public string[] NodeWithOutputs(string opType, string name, IEnumerable<string> inputs, int outputCount, int[] used, params AttributeProto[] attributes)
    {
        string nodeName = UniqueName(name);
        var node = new NodeProto { OpType = opType, Name = nodeName };
        node.Input.AddRange(inputs);
        int last = used.Max();
        var names = new string[used.Length];
        for (int output = 0; output <= last && output < outputCount; output++)
        {
            int position = Array.IndexOf(used, output);
            string outputName = position < 0 ? "" : UniqueName($"{nodeName}_output{output}");
            if (position >= 0)
            {
                names[position] = outputName;
            }
            node.Output.Add(outputName);
        }
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return names;
    }

    /// <summary>Adds a float initializer of shape <paramref name="dims"/> holding <paramref name="values"/>; returns its name.</summary>
    public string FloatInitializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = UniqueName(name), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        // raw_data is little-endian, as .NET's floats are on every platform NetGen runs on.
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a one-dimensional int64 initializer (a Reshape's target shape, say); returns its name.</summary>
    public string Int64Initializer(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = UniqueName(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Declares a float graph input or output of shape [batch, ...<paramref name="shape"/>].</summary>
    public static ValueInfoProto BatchedFloatTensor(string name, IReadOnlyList<int> shape)
    {
        var tensorShape = new TensorShapeProto();
        tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = OnnxExport.BatchDimension });
        foreach (int dimension in shape)
        {
            tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dimension });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } },
        };
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Int(string name, long value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A string attribute.</summary>
    public static AttributeProto String(string name, string value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>A list-of-strings attribute.</summary>
    public static AttributeProto Strings(string name, params string[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    /// <summary>A list-of-integers attribute.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
