using NetGen.Onnx.Reading;
using Onnx;

namespace NetGen.Cli.Import;

// nn.Embedding as torch.onnx.export writes it (Gather from the weight by the int64 token ids, or by the float input
// cast to integers, as OnnxExport writes Embedding), and the padding-masked mean after it:
// Div(ReduceSum(Mul(rows, mask column), steps), count floored at 1), the mask and count computed from the token ids
// (SideComputations). The padding id of the mask becomes the Embedding's PaddingIndex.
internal sealed partial class OnnxImporter
{
    /// <summary>How far the chain has gone through a padding-masked mean.</summary>
    private MaskedMeanStage _maskedMean;

    /// <summary>The padding id of the mask the embedding's rows were multiplied by.</summary>
    private long _maskPaddingId;

    private int[] ReadEmbeddingNode(NodeProto node, int[] shape, MaskedMeanStage stage)
    {
        ImportedLayer? embedding = _layers.Count > 0 && _layers[^1].Kind == LayerKind.Embedding ? _layers[^1] : null;
        switch (node.OpType, stage)
        {
            case ("Cast", MaskedMeanStage.None):
                long to = Attribute(node, "to")?.I ?? 0;
                if (to is (long)TensorProto.Types.DataType.Int64 or (long)TensorProto.Types.DataType.Int32 && _layers.Count == 0 && shape.Length == 1
                    && _side.TokenIds.Contains(node.Output[0]))
                {
                    return shape;
                }
                Problem(node, $"casts to {(TensorProto.Types.DataType)to}; NetGen casts only the input's token ids to integers for an embedding (Gather)");
                return shape;
            case ("Gather", MaskedMeanStage.None):
                return Embedding(node, shape);
            case ("Mul", MaskedMeanStage.None) when embedding is not null && node.Input.Count == 2:
                string mask = node.Input[0] == _current ? node.Input[1] : node.Input[0];
                if (_side.TryGetValue(mask, out SideValue column) && column.Kind == SideKind.TokenColumn)
                {
                    _maskedMean = MaskedMeanStage.Masked;
                    _maskPaddingId = column.PaddingId;
                    return shape;
                }
                Problem(node, $"multiplies the embedding's rows by '{mask}'; NetGen multiplies them only by the mask of the tokens that are not the padding id, " +
                              "(ids != p).float().unsqueeze(-1), in a padding-masked mean");
                return shape;
            case ("ReduceSum", MaskedMeanStage.Masked) when ReduceAxes(node).SequenceEqual([1L]) && (Attribute(node, "keepdims")?.I ?? 1) == 0:
                _maskedMean = MaskedMeanStage.Summed;
                return [shape[1]];
            case ("Div", MaskedMeanStage.Summed) when embedding is not null && node.Input.Count == 2 && node.Input[0] == _current:
                return MaskedMean(node, shape, embedding);
            default:
                Problem(node, "breaks off a padding-masked mean; NetGen reads (rows * mask).sum(1) / mask.sum(1).clamp(min=1): " +
                              "Mul by the mask, ReduceSum over the steps (keepdims 0), Div by the count of tokens floored at 1");
                return shape;
        }
    }

    private int[] Embedding(NodeProto node, int[] shape)
    {
        long axis = Attribute(node, "axis")?.I ?? 0;
        TensorProto table = _constants[node.Input[0]];
        int[] tableShape = OnnxTensors.Shape(table);
        if (_layers.Count > 0 || shape.Length != 1 || axis != 0 || node.Input[1] != _current || tableShape.Length != 2)
        {
            Problem(node, _layers.Count > 0 || shape.Length != 1
                ? $"looks up rows by [batch, {string.Join(", ", shape)}] after {(_layers.Count == 0 ? "nothing" : $"a {_layers[^1].Kind} layer")}; NetGen's Embedding is the first layer and reads the input's token ids [batch, tokens]"
                : $"gathers axis {axis} of a table of shape {Format(tableShape)}; NetGen's Embedding gathers rows (axis 0) of [vocabulary, dimensions]");
            return shape;
        }
        var layer = new ImportedLayer(LayerKind.Embedding, shape, [shape[0], tableShape[1]])
        {
            Units = tableShape[1], Vocabulary = tableShape[0], Weights = OnnxTensors.Floats(table), WeightShape = tableShape,
        };
        _layers.Add(layer);
        return layer.OutputShape;
    }

    private int[] MaskedMean(NodeProto node, int[] shape, ImportedLayer embedding)
    {
        string divisor = node.Input[1];
        SideValue count = _side.TryGetValue(divisor, out SideValue value) ? value : new SideValue(SideKind.ShapeDerived);
        if (count.Kind == SideKind.TokenCount && count.PaddingId == _maskPaddingId)
        {
            Problem(node, "divides by the number of tokens that are not padding without a floor of 1 (clamp(min=1)): a text of padding only would be 0 / 0, where NetGen's mean is 0");
            return shape;
        }
        if (count.Kind != SideKind.TokenCountAtLeastOne || count.PaddingId != _maskPaddingId)
        {
            Problem(node, $"divides the masked sum by '{divisor}'; NetGen divides it by the number of tokens that are not the padding id {_maskPaddingId}, at least 1");
            return shape;
        }
        if (_maskPaddingId < 0 || _maskPaddingId >= embedding.Vocabulary)
        {
            Problem(node, $"masks the padding id {_maskPaddingId}, which is not an id of the embedding's {embedding.Vocabulary} rows; NetGen's PaddingIndex lies in [0, {embedding.Vocabulary})");
            return shape;
        }
        embedding.PaddingIndex = (int)_maskPaddingId;
        _layers.Add(new ImportedLayer(LayerKind.GlobalAveragePool, embedding.OutputShape, [embedding.Units]));
        return [embedding.Units];
    }

    /// <summary>A reduction's axes: the attribute (ReduceSum before opset 13), else the second input.</summary>
    private long[] ReduceAxes(NodeProto node)
        => Attribute(node, "axes")?.Ints.ToArray()
           ?? (node.Input.Count > 1 && _constants.TryGetValue(node.Input[1], out TensorProto? axes) ? OnnxTensors.Int64s(axes) : []);
}
