using System.Runtime.InteropServices;
using System.Text;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// Writes an ONNX model (the protobuf message onnx.ModelProto) for a dense network, with the network's parameters
/// as initializers: per layer Gemm(x, W, b, transB = 1) and the activation (Relu, Tanh, Sigmoid, Softmax(axis = 1)).
/// The protobuf wire format is written by hand: only the few message types and fields of onnx.proto used here.
/// </summary>
public static class OnnxModelWriter
{
    /// <summary>The name of the model's input, a [1, InputSize] float tensor.</summary>
    public const string InputName = "input";

    /// <summary>The name of the model's output, a [1, OutputSize] float tensor.</summary>
    public const string OutputName = "output";

    private const int OpsetVersion = 17;
    private const long IrVersion = 8;     // the IR version of opset 17 (ONNX 1.12)
    private const int FloatType = 1;      // TensorProto.DataType.FLOAT
    private const int IntAttribute = 2;   // AttributeProto.AttributeType.INT

    /// <summary>The ModelProto bytes for a network with <paramref name="layers"/> and <paramref name="parameters"/> (NetGen's layout).</summary>
    public static byte[] Write(IReadOnlyList<LayerInfo> layers, ReadOnlySpan<float> parameters)
    {
        var graph = new ProtoWriter();
        string current = InputName;
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            bool last = l == layers.Count - 1;
            string weights = $"W{l}", biases = $"b{l}", z = $"z{l}";
            string activated = last ? OutputName : $"a{l}";
            if (layer.Activation == Activation.Identity)
            {
                z = activated;
            }
            graph.Message(1, node =>  // GraphProto.node
            {
                node.String(1, current).String(1, weights).String(1, biases); // NodeProto.input
                node.String(2, z);                                            // NodeProto.output
                node.String(3, $"gemm{l}");                                   // NodeProto.name
                node.String(4, "Gemm");                                       // NodeProto.op_type
                node.Message(5, attribute => attribute.String(1, "transB").Int64(3, 1).Int64(20, IntAttribute));
            });
            if (layer.Activation != Activation.Identity)
            {
                string op = layer.Activation switch
                {
                    Activation.ReLU => "Relu",
                    Activation.Tanh => "Tanh",
                    Activation.Sigmoid => "Sigmoid",
                    Activation.Softmax => "Softmax",
                    _ => throw new NotSupportedException($"ONNX has no operator for {layer.Activation} here."),
                };
                graph.Message(1, node =>
                {
                    node.String(1, z).String(2, activated).String(3, $"{op.ToLowerInvariant()}{l}").String(4, op);
                    if (layer.Activation == Activation.Softmax)
                    {
                        node.Message(5, attribute => attribute.String(1, "axis").Int64(3, 1).Int64(20, IntAttribute));
                    }
                });
            }
            current = activated;
        }
        graph.String(2, "netgen_mlp"); // GraphProto.name
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            var w = parameters.Slice(layer.WeightsOffset, layer.WeightCount).ToArray();
            var b = parameters.Slice(layer.BiasesOffset, layer.OutputSize).ToArray();
            graph.Message(5, tensor => Initializer(tensor, $"W{l}", w, layer.OutputSize, layer.InputSize)); // GraphProto.initializer
            graph.Message(5, tensor => Initializer(tensor, $"b{l}", b, layer.OutputSize));
        }
        graph.Message(11, value => ValueInfo(value, InputName, 1, layers[0].InputSize));               // GraphProto.input
        graph.Message(12, value => ValueInfo(value, OutputName, 1, layers[^1].OutputSize));            // GraphProto.output

        var model = new ProtoWriter();
        model.Int64(1, IrVersion);                      // ModelProto.ir_version
        model.String(2, "NetGen.Benchmarks");           // ModelProto.producer_name
        model.String(3, "0.1.0");                       // ModelProto.producer_version
        model.Bytes(7, graph.ToArray());                // ModelProto.graph
        model.Message(8, opset => opset.String(1, "").Int64(2, OpsetVersion)); // ModelProto.opset_import
        return model.ToArray();
    }

    private static void Initializer(ProtoWriter tensor, string name, float[] values, params long[] dims)
    {
        foreach (long dim in dims)
        {
            tensor.Int64(1, dim);                       // TensorProto.dims
        }
        tensor.Int64(2, FloatType);                     // TensorProto.data_type
        tensor.String(8, name);                         // TensorProto.name
        tensor.Bytes(9, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()); // TensorProto.raw_data, little-endian
    }

    private static void ValueInfo(ProtoWriter value, string name, params long[] dims)
    {
        value.String(1, name);                          // ValueInfoProto.name
        value.Message(2, type => type.Message(1, tensorType => // TypeProto.tensor_type
        {
            tensorType.Int64(1, FloatType);             // TypeProto.Tensor.elem_type
            tensorType.Message(2, shape =>              // TypeProto.Tensor.shape
            {
                foreach (long dim in dims)
                {
                    shape.Message(1, dimension => dimension.Int64(1, dim)); // TensorShapeProto.dim, Dimension.dim_value
                }
            });
        }));
    }

    /// <summary>The protobuf wire format: varint (type 0) and length-delimited (type 2) fields.</summary>
    private sealed class ProtoWriter
    {
        private readonly MemoryStream _stream = new();

        public ProtoWriter Int64(int field, long value)
        {
            Tag(field, 0);
            Varint(unchecked((ulong)value));
            return this;
        }

        public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public ProtoWriter Bytes(int field, byte[] value)
        {
            Tag(field, 2);
            Varint((ulong)value.Length);
            _stream.Write(value);
            return this;
        }

        public ProtoWriter Message(int field, Action<ProtoWriter> write)
        {
            var nested = new ProtoWriter();
            write(nested);
            return Bytes(field, nested.ToArray());
        }

        public byte[] ToArray() => _stream.ToArray();

        private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _stream.WriteByte((byte)value);
        }
    }
}
