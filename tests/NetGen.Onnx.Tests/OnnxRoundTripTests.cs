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
