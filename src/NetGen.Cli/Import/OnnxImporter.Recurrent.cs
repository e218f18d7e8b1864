using NetGen.Onnx;
using NetGen.Onnx.Reading;
using Onnx;

namespace NetGen.Cli.Import;

// RNN, LSTM and GRU as torch.onnx.export writes nn.RNN, nn.LSTM and nn.GRU with batch_first (and as OnnxExport writes
// SimpleRnn, Lstm and Gru): Transpose [1, 0, 2] to time first, the operator from a zero state, then either Y squeezed
// and transposed back (every step; `output[:, -1, :]` is a Gather of the last one) or Y_h squeezed (the last state).
internal sealed partial class OnnxImporter
{
    /// <summary>How the chain's tensor lays out its sequence.</summary>
    private ChainLayout _layout = ChainLayout.BatchFirst;

    /// <summary>The recurrent layer whose output the chain still is (through Squeeze and Transpose): a Gather may take its last step.</summary>
    private ImportedLayer? _openRecurrent;

    /// <summary>The output of the recurrent node just read that the chain goes on from.</summary>
    private string? _recurrentOutput;

    private int[] ReadRecurrentNode(NodeProto node, int[] shape, ImportedLayer? recurrent, ChainLayout layout)
    {
        _layout = ChainLayout.BatchFirst;
        switch (node.OpType)
        {
            case "Transpose" when layout is ChainLayout.BatchFirst or ChainLayout.TimeFirst && shape.Length == 2
                                  && (Attribute(node, "perm")?.Ints.SequenceEqual([1L, 0, 2]) ?? false):
                _layout = layout == ChainLayout.BatchFirst ? ChainLayout.TimeFirst : ChainLayout.BatchFirst;
                _openRecurrent = recurrent;
                return shape;
            case "Transpose":
                Problem(node, $"transposes [batch, {string.Join(", ", shape)}] with perm {Format(Attribute(node, "perm")?.Ints.ToArray() ?? [])}; " +
                              "NetGen transposes only a sequence between batch first and time first ([1, 0, 2]) around a recurrent layer");
                return shape;
            case "RNN" or "LSTM" or "GRU" when layout == ChainLayout.TimeFirst:
                return Recurrent(node, shape);
            case "RNN" or "LSTM" or "GRU":
                CheckRecurrentAttributes(node);
                Problem(node, $"reads [batch, {string.Join(", ", shape)}] as ONNX's [steps, batch, features]: the layer is time first (batch_first=False); " +
                              "NetGen's recurrent layers read [batch, steps, features] (export with batch_first=True)");
                return shape;
            case "Squeeze" when layout == ChainLayout.RecurrentSequence && SqueezeAxes(node).SequenceEqual([1L]):
                _layout = ChainLayout.TimeFirst;
                _openRecurrent = recurrent;
                return shape;
            case "Squeeze" when layout == ChainLayout.RecurrentState && SqueezeAxes(node).SequenceEqual([0L]):
                _openRecurrent = recurrent;
                return shape;
            default:
                Problem(node, layout switch
                {
                    ChainLayout.TimeFirst => "reads a time-first sequence [steps, batch, features]; NetGen reads it only with a recurrent layer (RNN, LSTM, GRU) or transposes it back",
                    ChainLayout.RecurrentSequence => "reads a recurrent layer's Y [steps, directions, batch, units] without squeezing its directions (axis 1) first",
                    _ => "reads a recurrent layer's Y_h [directions, batch, units] without squeezing its directions (axis 0) first",
                });
                return shape;
        }
    }

    private int[] Recurrent(NodeProto node, int[] shape)
    {
        LayerKind kind = node.OpType switch { "RNN" => LayerKind.SimpleRnn, "LSTM" => LayerKind.Lstm, _ => LayerKind.Gru };
        int gates = RecurrentGateOrder.Gates(kind);
        int steps = shape[0], features = shape[1];
        int problemsBefore = _problems.Count;
        Activation cell = CheckRecurrentAttributes(node);
        long hidden = Attribute(node, "hidden_size")?.I ?? 0;
        if (!TryRecurrentWeights(node, 1, gates, features, out float[] inputWeights, out int units)
            || !TryRecurrentWeights(node, 2, gates, units, out float[] recurrentWeights, out _))
        {
            return shape;
        }
        if (hidden != 0 && hidden != units)
        {
            Problem(node, $"has hidden_size {hidden} but weights of {units} units");
        }
        float[] biases = new float[2 * gates * units];
        if (node.Input.Count > 3 && node.Input[3].Length > 0)
        {
            int[] biasShape = _constants.TryGetValue(node.Input[3], out TensorProto? b) ? OnnxTensors.Shape(b) : [];
            if (b is null || !biasShape.SequenceEqual([1, 2 * gates * units]))
            {
                Problem(node, b is null ? "has biases that are not an initializer" : $"has biases of shape {Format(biasShape)}; expected [1, {2 * gates * units}] (Wb then Rb)");
                return shape;
            }
            biases = OnnxTensors.Floats(b);
        }
        string[] outputs = [.. node.Output, "", "", ""];
        bool readsSequence = _readers.ContainsKey(outputs[0]) && outputs[0].Length > 0;
        bool readsState = _readers.ContainsKey(outputs[1]) && outputs[1].Length > 0;
        if (kind == LayerKind.Lstm && outputs[2].Length > 0 && _readers.ContainsKey(outputs[2]))
        {
            Problem(node, "reads the cell state Y_c, which NetGen's Lstm keeps inside the layer");
        }
        if (readsSequence && readsState)
        {
            Problem(node, "reads both Y (every step) and Y_h (the last state): NetGen declares a chain of layers, not a graph");
        }
        if (_problems.Count > problemsBefore)
        {
            return shape;
        }
        int weightsPerUnit = features, stateWeightsPerUnit = units;
        var layer = new ImportedLayer(kind, shape, readsSequence ? [steps, units] : [units])
        {
            Units = units,
            ReturnSequences = readsSequence,
            CellActivation = cell,
            Weights = RecurrentGateOrder.ToPyTorch(kind, inputWeights, units * weightsPerUnit),
            WeightShape = [gates * units, features],
            RecurrentWeights = RecurrentGateOrder.ToPyTorch(kind, recurrentWeights, units * stateWeightsPerUnit),
            Biases = RecurrentGateOrder.ToPyTorch(kind, biases.AsSpan(0, gates * units), units),
            RecurrentBiases = RecurrentGateOrder.ToPyTorch(kind, biases.AsSpan(gates * units), units),
        };
        _layers.Add(layer);
        _openRecurrent = layer;
        _layout = readsSequence ? ChainLayout.RecurrentSequence : ChainLayout.RecurrentState;
        _recurrentOutput = readsSequence ? outputs[0] : outputs[1];
        return layer.OutputShape;
    }

    /// <summary>W [1, G units, inputs] or R [1, G units, units] from the node's input <paramref name="index"/>, in ONNX's gate order.</summary>
    private bool TryRecurrentWeights(NodeProto node, int index, int gates, int inputs, out float[] weights, out int units)
    {
        weights = [];
        units = 0;
        string what = index == 1 ? "W" : "R";
        if (node.Input.Count <= index || !_constants.TryGetValue(node.Input[index], out TensorProto? tensor))
        {
            Problem(node, $"has {what} weights that are not an initializer");
            return false;
        }
        int[] shape = OnnxTensors.Shape(tensor);
        if (shape.Length != 3 || shape[0] != 1 || shape[1] % gates != 0 || shape[2] != inputs || index == 2 && shape[1] != gates * inputs)
        {
            Problem(node, $"has {what} weights of shape {Format(shape)}; for {inputs} inputs NetGen expects [1, {gates} units, {inputs}] (one direction)");
            return false;
        }
        weights = OnnxTensors.Floats(tensor);
        units = shape[1] / gates;
        return true;
    }

    /// <summary>
    /// Names every attribute and optional input of a recurrent node that NetGen's layers cannot express; returns a
    /// simple RNN's nonlinearity (Tanh when the node names none).
    /// </summary>
    private Activation CheckRecurrentAttributes(NodeProto node)
    {
        string direction = Attribute(node, "direction")?.S.ToStringUtf8() ?? "forward";
        if (direction != "forward")
        {
            Problem(node, $"runs {direction} (direction = {direction}); NetGen's recurrent layers run forward only (bidirectional=False)");
        }
        if (Attribute(node, "clip") is AttributeProto clip)
        {
            Problem(node, $"clips its cell's inputs at {clip.F} (clip); NetGen's recurrent layers do not clip");
        }
        foreach (string name in new[] { "activation_alpha", "activation_beta" }.Where(name => Attribute(node, name) is not null))
        {
            Problem(node, $"scales its activations ({name}); NetGen's recurrent layers use PyTorch's activations");
        }
        CheckInt(node, "layout", 0, "reads its input batch first");
        CheckInt(node, "input_forget", 0, "couples the input and forget gates");
        if (node.OpType == "GRU" && (Attribute(node, "linear_before_reset")?.I ?? 0) != 1)
        {
            Problem(node, "applies the reset gate before the recurrent weights (linear_before_reset = 0); NetGen's Gru is PyTorch's (linear_before_reset = 1)");
        }
        string[] activations = Attribute(node, "activations")?.Strings.Select(s => s.ToStringUtf8()).ToArray() ?? [];
        Activation cell = Activation.Tanh;
        string[] standard = node.OpType switch { "LSTM" => ["Sigmoid", "Tanh", "Tanh"], "GRU" => ["Sigmoid", "Tanh"], _ => ["Tanh"] };
        if (node.OpType == "RNN" && activations.SequenceEqual(["Relu"]))
        {
            cell = Activation.ReLU;
        }
        else if (activations.Length > 0 && !activations.SequenceEqual(standard, StringComparer.OrdinalIgnoreCase))
        {
            Problem(node, $"has the activations {Format(activations)}; NetGen's {node.OpType} uses {Format(standard)}{(node.OpType == "RNN" ? " or [Relu]" : "")}");
        }
        string[] inputs = [.. node.Input, "", "", "", "", "", "", "", ""];
        if (inputs[4].Length > 0)
        {
            Problem(node, $"reads sequence lengths ('{inputs[4]}'); NetGen's recurrent layers read every step of a sequence of declared length");
        }
        foreach ((int index, string state) in new[] { (5, "initial_h"), (6, "initial_c") })
        {
            if (inputs[index].Length > 0 && !(_side.TryGetValue(inputs[index], out SideValue value) && value.Kind == SideKind.ZeroState))
            {
                Problem(node, $"starts from the state '{inputs[index]}' ({state}), which is not zeros; NetGen's recurrent layers start from a zero state");
            }
        }
        if (node.OpType == "LSTM" && inputs[7].Length > 0)
        {
            Problem(node, $"has peephole weights ('{inputs[7]}', P); NetGen's Lstm is PyTorch's, without peepholes");
        }
        return cell;
    }

    /// <summary>A Squeeze's axes: the second input from opset 13 on, the attribute before.</summary>
    private long[] SqueezeAxes(NodeProto node)
        => Attribute(node, "axes")?.Ints.ToArray()
           ?? (node.Input.Count > 1 && _constants.TryGetValue(node.Input[1], out TensorProto? axes) ? OnnxTensors.Int64s(axes) : []);

    /// <summary>`output[:, -1, :]` of a recurrent layer that returns its sequence: Gather(axis = 1) of the last step, a scalar index.</summary>
    private int[] LastStep(NodeProto node, int[] shape, ImportedLayer? recurrent)
    {
        long axis = Attribute(node, "axis")?.I ?? 0;
        TensorProto? index = node.Input.Count > 1 && _constants.TryGetValue(node.Input[1], out TensorProto? tensor) ? tensor : null;
        bool scalar = index is not null && index.Dims.Count == 0 && SideComputations.TryScalar(index, out double step) && (step == -1 || step == shape[0] - 1);
        if (recurrent is null || !recurrent.ReturnSequences || shape.Length != 2 || axis != 1 || !scalar || node.Input[0] != _current)
        {
            Problem(node, recurrent is null || shape.Length != 2
                ? "gathers from a tensor that is not a recurrent layer's sequence; NetGen gathers only an embedding's rows and a recurrent layer's last step"
                : "takes something other than the last step of a recurrent layer's sequence; NetGen reads only output[:, -1, :] (Gather, axis 1, index -1)");
            return shape;
        }
        recurrent.ReturnSequences = false;
        recurrent.OutputShape = [shape[1]];
        return recurrent.OutputShape;
    }
}
