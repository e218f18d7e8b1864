using NetGen.Cli.Import;
using NetGen.Onnx;
using NetGen.Onnx.Reading;
using Onnx;

namespace NetGen.Tests;

/// <summary>
/// What OnnxExport writes, netgen import reads back as the same network: the same shape fingerprint (kinds, shapes,
/// activations, kernel, stride, padding...) and bitwise the same parameters. And models it cannot express exactly
/// fail, naming every node at fault.
/// </summary>
public sealed class OnnxRoundTripTests
{
    [Fact] public void Dense_layers() => CheckRoundTrip<ExportDenseStackNet>(1);
    [Fact] public void Dense_softmax() => CheckRoundTrip<ExportDenseSoftmaxNet>(2);
    [Fact] public void Conv2D_valid() => CheckRoundTrip<ConvValidNet>(3);
    [Fact] public void Conv2D_same_and_max_pool() => CheckRoundTrip<ConvSameMaxPoolNet>(4);
    [Fact] public void Conv2D_stride_two_and_average_pool() => CheckRoundTrip<ConvStrideTwoAveragePoolNet>(5);
    [Fact] public void Conv2D_same_stride_two_and_global_average_pool() => CheckRoundTrip<ConvStackGlobalPoolNet>(6);
    [Fact] public void Overlapping_pools() => CheckRoundTrip<ConvFashionShapedNet>(7);
    [Fact] public void Sequence_global_average_pool() => CheckRoundTrip<SequenceGlobalPoolNet>(8);
    [Fact] public void SimpleRnn_tanh_last_step() => CheckRoundTrip<RnnTanhNet>(9);
    [Fact] public void SimpleRnn_relu_sequence() => CheckRoundTrip<RnnReluSequenceNet>(10);
    [Fact] public void Lstm_last_step() => CheckRoundTrip<LstmNet>(11);
    [Fact] public void Lstm_sequence() => CheckRoundTrip<LstmSequenceNet>(12);
    [Fact] public void Gru_last_step() => CheckRoundTrip<GruNet>(13);
    [Fact] public void Gru_sequence() => CheckRoundTrip<GruSequenceNet>(14);
    [Fact] public void Lstm_sequence_into_gru() => CheckRoundTrip<StackedRecurrentNet>(15);
    [Fact] public void SimpleRnn_sequence_into_gru() => CheckRoundTrip<RecurrentDropoutNet>(16);
    [Fact] public void Embedding_padding_masked_mean() => CheckRoundTrip<EmbeddingMeanBinaryNet>(17);
    [Fact] public void Embedding_padding_id_two() => CheckRoundTrip<EmbeddingMeanSoftmaxNet>(18);
    [Fact] public void Embedding_plain_mean() => CheckRoundTrip<EmbeddingPlainMeanNet>(19);

    [Theory]
    [InlineData("direction", "reverse", "runs reverse (direction = reverse); NetGen's recurrent layers run forward only")]
    [InlineData("clip", "3", "clips its cell's inputs at 3 (clip)")]
    [InlineData("activations", "Sigmoid,Tanh,Relu", "has the activations [Sigmoid, Tanh, Relu]; NetGen's LSTM uses [Sigmoid, Tanh, Tanh]")]
    [InlineData("input_forget", "1", "couples the input and forget gates (input_forget = 1)")]
    [InlineData("layout", "1", "reads its input batch first (layout = 1)")]
    public void An_LSTM_attribute_NetGen_cannot_express_is_named(string name, string value, string expected)
    {
        ModelProto model = Exported<LstmNet>();
        NodeProto lstm = model.Graph.Node.Single(node => node.OpType == "LSTM");
        var attribute = new AttributeProto { Name = name };
        if (name == "clip")
        {
            (attribute.Type, attribute.F) = (AttributeProto.Types.AttributeType.Float, float.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        }
        else if (name is "input_forget" or "layout")
        {
            (attribute.Type, attribute.I) = (AttributeProto.Types.AttributeType.Int, long.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        }
        else if (name == "activations")
        {
            attribute.Type = AttributeProto.Types.AttributeType.Strings;
            attribute.Strings.AddRange(value.Split(',').Select(Google.Protobuf.ByteString.CopyFromUtf8));
        }
        else
        {
            (attribute.Type, attribute.S) = (AttributeProto.Types.AttributeType.String, Google.Protobuf.ByteString.CopyFromUtf8(value));
        }
        lstm.Attribute.Add(attribute);
        var error = Assert.Throws<UnsupportedModelException>(() => OnnxImporter.Import(model, "lstm.onnx"));
        Assert.Contains($"node '{lstm.Name}' (LSTM): {expected}", error.Message);
    }

    [Fact]
    public void Sequence_lengths_peepholes_and_a_state_that_is_not_zero_are_each_named()
    {
        ModelProto model = Exported<LstmNet>();
        NodeProto lstm = model.Graph.Node.Single(node => node.OpType == "LSTM");
        string[] extra = ["lengths", "h0", "c0", "peepholes"];
        foreach (string name in extra)
        {
            var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
            tensor.Dims.Add(1);
            tensor.FloatData.Add(0.5f);
            model.Graph.Initializer.Add(tensor);
        }
        lstm.Input.Add(extra);
        var error = Assert.Throws<UnsupportedModelException>(() => OnnxImporter.Import(model, "lstm.onnx"));
        Assert.Contains("reads sequence lengths ('lengths')", error.Message);
        Assert.Contains("starts from the state 'h0' (initial_h), which is not zeros", error.Message);
        Assert.Contains("starts from the state 'c0' (initial_c), which is not zeros", error.Message);
        Assert.Contains("has peephole weights ('peepholes', P)", error.Message);
    }

    [Fact]
    public void A_GRU_that_resets_before_its_recurrent_weights_is_refused()
    {
        ModelProto model = Exported<GruNet>();
        NodeProto gru = model.Graph.Node.Single(node => node.OpType == "GRU");
        gru.Attribute.Single(attribute => attribute.Name == "linear_before_reset").I = 0;
        var error = Assert.Throws<UnsupportedModelException>(() => OnnxImporter.Import(model, "gru.onnx"));
        Assert.Contains($"node '{gru.Name}' (GRU): applies the reset gate before the recurrent weights (linear_before_reset = 0)", error.Message);
    }

    [Fact]
    public void A_masked_mean_without_a_floor_on_the_count_is_refused()
    {
        ModelProto model = Exported<EmbeddingMeanBinaryNet>();
        NodeProto floor = model.Graph.Node.Single(node => node.OpType == "Max");
        NodeProto divide = model.Graph.Node.Single(node => node.OpType == "Div");
        divide.Input[1] = floor.Input[0];
        var error = Assert.Throws<UnsupportedModelException>(() => OnnxImporter.Import(model, "mean.onnx"));
        Assert.Contains($"node '{divide.Name}' (Div): divides by the number of tokens that are not padding without a floor of 1", error.Message);
    }

    [Fact]
    public void A_dynamic_input_size_is_refused_by_name()
    {
        ModelProto model = Exported<ExportDenseStackNet>();
        model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimParam = "features";
        var error = Assert.Throws<UnsupportedModelException>(() => OnnxImporter.Import(model, "dynamic.onnx"));
        Assert.Contains("input 'input' has the dynamic size 'features' on axis 1", error.Message);
    }

    [Fact]
    public void Padding_that_is_neither_valid_nor_NetGen_same_is_refused_with_the_pads_NetGen_would_use()
    {
        // ConvStackGlobalPoolNet's first convolution: 8x9 input, 5x5 kernel, stride 2, Same pads [1, 2, 2, 2]; PyTorch's padding=2 pads [2, 2, 2, 2].
        ModelProto model = Exported<ConvStackGlobalPoolNet>();
        NodeProto conv = model.Graph.Node.First(node => node.OpType == "Conv");
        AttributeProto pads = conv.Attribute.Single(attribute => attribute.Name == "pads");
        Assert.Equal([1L, 2, 2, 2], pads.Ints);
        pads.Ints[0] = 2;
        var error = Assert.Throws<UnsupportedModelException>(() => OnnxImporter.Import(model, "padded.onnx"));
        Assert.Contains($"node '{conv.Name}' (Conv): pads [2, 2, 2, 2] (top, left, bottom, right); NetGen pads nothing (Valid) or [1, 2, 2, 2] here", error.Message);
    }

    [Fact]
    public void Every_unsupported_node_is_listed_in_one_error()
    {
        ModelProto model = Exported<ConvSameMaxPoolNet>();
        NodeProto conv = model.Graph.Node.First(node => node.OpType == "Conv");
        conv.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = 2 });
        NodeProto pool = model.Graph.Node.First(node => node.OpType == "MaxPool");
        pool.Attribute.Add(new AttributeProto { Name = "ceil_mode", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        NodeProto flatten = model.Graph.Node.First(node => node.OpType == "Flatten");
        flatten.OpType = "LpNormalization";
        var error = Assert.Throws<UnsupportedModelException>(() => OnnxImporter.Import(model, "three.onnx"));
        Assert.Equal(3, error.Problems.Count);
        Assert.Contains($"node '{conv.Name}' (Conv): is a grouped convolution (group = 2)", error.Problems[0]);
        Assert.Contains($"node '{pool.Name}' (MaxPool): rounds the output size up (ceil_mode = 1)", error.Problems[1]);
        Assert.Contains($"node '{flatten.Name}' (LpNormalization): is not an operator NetGen can declare", error.Problems[2]);
    }

    [Fact]
    public void A_step_activation_has_no_NetGen_reading_and_is_refused()
    {
        var error = Assert.Throws<UnsupportedModelException>(() => OnnxImporter.Import(Exported<ExportPerceptron>(), "perceptron.onnx"));
        Assert.Contains("(GreaterOrEqual): is not an operator NetGen can declare", error.Message);
    }

    private static void CheckRoundTrip<TNetwork>(int seed) where TNetwork : class, INetwork<TNetwork>, new()
    {
        var net = new TNetwork();
        TNetwork.InitializeParameters(net.Parameters, seed);
        ImportedNetwork imported = OnnxImporter.Import(OnnxModelReader.Read(OnnxExport.ToBytes(net), typeof(TNetwork).Name), typeof(TNetwork).Name + ".onnx");
        Assert.Equal(TNetwork.Layers[0].InputShape, imported.InputShape);
        Assert.Equal(
            TNetwork.Layers.Select(layer => layer.ToString()),
            imported.LayerInfos().Select(layer => layer.ToString()));
        Assert.Equal(ShapeFingerprint.Of<TNetwork>(), ShapeFingerprint.Compute(TNetwork.InputSize, imported.LayerInfos()));
        Assert.Equal(net.Parameters, imported.Parameters());
        Assert.Equal(TNetwork.Loss, imported.Loss);
    }

    private static ModelProto Exported<TNetwork>() where TNetwork : class, INetwork<TNetwork>, new()
    {
        var net = new TNetwork();
        TNetwork.InitializeParameters(net.Parameters, 1);
        return ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(net));
    }
}
