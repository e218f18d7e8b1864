using NetGen.Onnx.Reading;
using Onnx;

namespace NetGen.Cli.Import;

/// <summary>
/// Reads an ONNX model as a chain of NetGen layers: what torch.onnx.export writes for an nn.Sequential (Gemm or
/// MatMul + Add, Conv, MaxPool, AveragePool, GlobalAveragePool, Flatten or Reshape to a vector, and the activations
/// Relu, Sigmoid, Tanh and Softmax after a Gemm or Conv; RNN, LSTM and GRU with torch's batch-first transposes and the
/// last step taken; Gather from an embedding table and a padding-masked mean). Every node it cannot express exactly is collected, and the
/// import fails with all of them listed: it never returns a network that computes something else.
/// </summary>
internal sealed partial class OnnxImporter
{
    private readonly string _source;
    private readonly GraphProto _graph;
    private readonly long _opset;
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];
    private readonly List<ImportedLayer> _layers = [];

    /// <summary>The nodes that compute from the input's shape or token ids, outside the chain.</summary>
    private readonly SideComputations _side;

    /// <summary>How many nodes (outside <see cref="_side"/>) and graph outputs read each tensor.</summary>
    private readonly Dictionary<string, int> _readers = new(StringComparer.Ordinal);

    /// <summary>The tensor the chain has reached: the output of the last node read.</summary>
    private string _current = "";

    /// <summary>The shape of <see cref="_current"/> without the batch axis, as ONNX has it; null once a node could not be read.</summary>
    private int[]? _shape;

    /// <summary>The last layer while its output is still the chain's tensor: an activation or a bias Add may still join it.</summary>
    private ImportedLayer? _open;

    /// <summary>Whether <see cref="_open"/> came from a MatMul whose bias (an Add) may follow.</summary>
    private bool _biasMayFollow;

    private OnnxImporter(ModelProto model, string source)
    {
        _source = source;
        _graph = model.Graph;
        _opset = OnnxModelReader.DefaultOpset(model);
        foreach (TensorProto initializer in _graph.Initializer)
        {
            _constants[initializer.Name] = initializer;
        }
        foreach (NodeProto node in _graph.Node.Where(node => node.OpType == "Constant"))
        {
            if (node.Output.Count == 1 && Attribute(node, "value")?.T is TensorProto value)
            {
                _constants[node.Output[0]] = value;
            }
        }
        _side = SideComputations.Analyze(_graph, _constants);
        foreach (string name in _graph.Node.Where(node => !_side.Nodes.Contains(node)).SelectMany(node => node.Input).Concat(_graph.Output.Select(output => output.Name)))
        {
            _readers[name] = _readers.GetValueOrDefault(name) + 1;
        }
    }

    /// <summary>Reads the model in <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model, or a tensor in it is malformed.</exception>
    /// <exception cref="UnsupportedModelException">The model has nodes NetGen cannot express; the message lists every one.</exception>
    public static ImportedNetwork Import(string path)
    {
        ModelProto model = OnnxModelReader.Read(path);
        return Import(model, Path.GetFileName(path));
    }

    /// <summary>Reads <paramref name="model"/>; <paramref name="source"/> (its file name) names it in messages and comments.</summary>
    /// <exception cref="InvalidDataException">A tensor in the model is malformed.</exception>
    /// <exception cref="UnsupportedModelException">The model has nodes NetGen cannot express; the message lists every one.</exception>
    public static ImportedNetwork Import(ModelProto model, string source)
    {
        var importer = new OnnxImporter(model, source);
        int[]? inputShape = importer.ReadInput();
        importer.ReadNodes();
        importer.ReadOutput();
        if (importer._problems.Count > 0 || inputShape is null)
        {
            throw new UnsupportedModelException(source, importer._problems);
        }
        string producer = string.Join(" ", new[] { model.ProducerName, model.ProducerVersion }.Where(s => s.Length > 0));
        return new ImportedNetwork(source, producer, importer._opset, inputShape, importer._layers);
    }

    private int[]? ReadInput()
    {
        ValueInfoProto[] inputs = _graph.Input.Where(input => !_constants.ContainsKey(input.Name)).ToArray();
        if (inputs.Length != 1)
        {
            _problems.Add($"the graph has {inputs.Length} inputs ({string.Join(", ", inputs.Select(i => $"'{i.Name}'"))}); a NetGen network has exactly one");
            return null;
        }
        ValueInfoProto input = inputs[0];
        _current = input.Name;
        TypeProto.Types.Tensor? tensor = input.Type?.TensorType;
        bool tokenIds = _side.TokenIds.Contains(input.Name) && tensor?.ElemType is (int)TensorProto.Types.DataType.Int64 or (int)TensorProto.Types.DataType.Int32;
        if (tensor is null || tensor.ElemType != (int)TensorProto.Types.DataType.Float && !tokenIds)
        {
            _problems.Add($"input '{input.Name}' is not a float tensor (element type {(tensor is null ? "none" : ((TensorProto.Types.DataType)tensor.ElemType).ToString())})");
            return null;
        }
        if (tensor.Shape is null || tensor.Shape.Dim.Count is < 2 or > 4)
        {
            _problems.Add($"input '{input.Name}' has {(tensor.Shape is null ? "no declared shape" : $"rank {tensor.Shape.Dim.Count}")}; " +
                          "NetGen reads [batch, features], [batch, steps, features] or [batch, channels, height, width]");
            return null;
        }
        var shape = new int[tensor.Shape.Dim.Count - 1];
        for (int axis = 1; axis < tensor.Shape.Dim.Count; axis++)
        {
            TensorShapeProto.Types.Dimension dimension = tensor.Shape.Dim[axis];
            if (dimension.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || dimension.DimValue < 1)
            {
                string what = dimension.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? $"the dynamic size '{dimension.DimParam}'" : "no size";
                _problems.Add($"input '{input.Name}' has {what} on axis {axis}; NetGen compiles fixed sizes (only the batch axis 0 may be dynamic)");
                return null;
            }
            shape[axis - 1] = checked((int)dimension.DimValue);
        }
        _shape = shape;
        return shape;
    }

    private void ReadNodes()
    {
        foreach (NodeProto node in _graph.Node)
        {
            if (node.OpType == "Constant" && node.Domain is "" or "ai.onnx")
            {
                ReadConstant(node);
                continue;
            }
            if (_side.Nodes.Contains(node) || !node.Output.Any(_readers.ContainsKey))
            {
                // Outside the chain, or read by nothing but side computations: torch writes the batch-first transpose of
                // a sequence that the next recurrent layer reads time first only for that layer's initial state's Shape.
                continue;
            }
            string[] chained = node.Input.Where(name => name.Length > 0 && !_constants.ContainsKey(name) && !_side.TryGetValue(name, out _)).ToArray();
            bool readsChain = chained.Contains(_current, StringComparer.Ordinal);
            string[] others = chained.Where(name => name != _current).Distinct().ToArray();
            foreach (string other in others)
            {
                Problem(node, $"reads '{other}', which is not the output of the node before it: NetGen declares a chain of layers, not a graph (a residual connection or a branch)");
            }
            if (!readsChain)
            {
                if (chained.Length == 0)
                {
                    Problem(node, "computes a value from constants only, which NetGen does not evaluate (export with do_constant_folding=True)");
                }
                continue;
            }
            if (node.Domain is not ("" or "ai.onnx"))
            {
                Problem(node, $"is an operator of the domain '{node.Domain}', not a standard ONNX operator");
                Advance(node, null);
                continue;
            }
            if (others.Length > 0 || _shape is null)
            {
                // The chain is already broken: check what can be checked without shapes, so that one run lists every problem.
                CheckWithoutShape(node);
                _open = null;
                Advance(node, node.OpType is "Add" or "Sub" or "Mul" or "Div" or "Relu" or "Sigmoid" or "Tanh" or "Identity" or "Dropout" ? _shape : null);
                continue;
            }
            int problemsBefore = _problems.Count;
            int[] shape = ReadNode(node, _shape);
            Advance(node, _problems.Count == problemsBefore ? shape : null);
        }
    }

    /// <summary>Moves the chain to the node's output, with its shape when the node was read, null when it could not be.</summary>
    private void Advance(NodeProto node, int[]? shape)
    {
        if (node.OpType is "RNN" or "LSTM" or "GRU")
        {
            // The chain goes on from the output the next layers read: Y (every step) or Y_h (the last state).
            _current = _recurrentOutput ?? node.Output.FirstOrDefault(output => output.Length > 0 && _readers.ContainsKey(output)) ?? "";
            _recurrentOutput = null;
            _shape = shape;
            return;
        }
        if (node.Output.Count != 1 && node.OpType != "Dropout")
        {
            Problem(node, $"has {node.Output.Count} outputs; NetGen layers have one");
        }
        _current = node.Output.Count > 0 ? node.Output[0] : "";
        _shape = shape;
    }

    /// <summary>Reads one node of the chain; returns its output's shape (without the batch axis).</summary>
    private int[] ReadNode(NodeProto node, int[] shape)
    {
        ImportedLayer? open = _open;
        bool biasMayFollow = _biasMayFollow;
        ImportedLayer? recurrent = _openRecurrent;
        ChainLayout layout = _layout;
        MaskedMeanStage maskedMean = _maskedMean;
        _open = null;
        _biasMayFollow = false;
        _openRecurrent = null;
        _maskedMean = MaskedMeanStage.None;
        if (layout != ChainLayout.BatchFirst || node.OpType is "Transpose" or "RNN" or "LSTM" or "GRU")
        {
            return ReadRecurrentNode(node, shape, recurrent, layout);
        }
        if (maskedMean != MaskedMeanStage.None || node.OpType is "Cast" || node.OpType is "Gather" && _constants.ContainsKey(node.Input[0]))
        {
            return ReadEmbeddingNode(node, shape, maskedMean);
        }
        if (node.OpType == "Mul" && _layers.Count > 0 && _layers[^1].Kind == LayerKind.Embedding)
        {
            return ReadEmbeddingNode(node, shape, maskedMean);
        }
        if (node.OpType == "Gather")
        {
            return LastStep(node, shape, recurrent);
        }
        if (_layers.Count > 0 && _layers[^1].OutputShape.Length != shape.Length && node.OpType is not ("Flatten" or "Reshape" or "Identity" or "Dropout"))
        {
            Problem(node, $"reads [batch, {string.Join(", ", shape)}], where NetGen's {_layers[^1].Kind} wrote {Format(_layers[^1].OutputShape)}: flatten it first");
            return shape;
        }
        switch (node.OpType)
        {
            case "Gemm":
                return Gemm(node, shape);
            case "MatMul":
                return MatMul(node, shape);
            case "Add":
                return AddBias(node, shape, biasMayFollow ? open : null);
            case "Conv":
                return Conv(node, shape);
            case "MaxPool":
                return Pool(node, shape, LayerKind.MaxPool2D);
            case "AveragePool":
                return Pool(node, shape, LayerKind.AveragePool2D);
            case "GlobalAveragePool":
                return GlobalAveragePool(node, shape);
            case "ReduceMean":
                return ReduceMean(node, shape);
            case "Flatten":
                return Flatten(node, shape, Attribute(node, "axis")?.I ?? 1);
            case "Reshape":
                return Reshape(node, shape);
            case "Relu":
                return Activate(node, shape, open, Activation.ReLU);
            case "Sigmoid":
                return Activate(node, shape, open, Activation.Sigmoid);
            case "Tanh":
                return Activate(node, shape, open, Activation.Tanh);
            case "Softmax":
                return Softmax(node, shape, open);
            case "Pad":
                return Pad(node, shape, open, biasMayFollow);
            case "Identity":
            case "Dropout":
                // Inference: both pass the input through; a layer before them stays open for its activation.
                _open = open;
                _biasMayFollow = biasMayFollow;
                _openRecurrent = recurrent;
                return shape;
            default:
                Problem(node, UnknownOperator);
                return shape;
        }
    }

    private int[] Gemm(NodeProto node, int[] shape)
    {
        CheckFloat(node, "alpha", 1f);
        CheckFloat(node, "beta", 1f);
        CheckInt(node, "transA", 0, "multiplies a transposed input");
        bool transposed = (Attribute(node, "transB")?.I ?? 0) != 0;
        if (!RequireVector(node, shape) || !TryWeightMatrix(node, 1, shape[0], transposed, out float[] weights, out int units))
        {
            return shape;
        }
        float[] biases = new float[units];
        if (node.Input.Count > 2 && node.Input[2].Length > 0 && !TryBias(node, node.Input[2], units, out biases))
        {
            return shape;
        }
        return Open(new ImportedLayer(LayerKind.Dense, shape, [units]) { Units = units, Weights = weights, WeightShape = [units, shape[0]], Biases = biases }, biasMayFollow: false);
    }

    private int[] MatMul(NodeProto node, int[] shape)
    {
        if (node.Input[0] != _current)
        {
            Problem(node, "multiplies a constant by the input (the input must come first, as x @ W)");
            return shape;
        }
        if (!RequireVector(node, shape) || !TryWeightMatrix(node, 1, shape[0], transposed: false, out float[] weights, out int units))
        {
            return shape;
        }
        // The bias, if any, is the Add that follows.
        return Open(new ImportedLayer(LayerKind.Dense, shape, [units]) { Units = units, Weights = weights, WeightShape = [units, shape[0]], Biases = new float[units] }, biasMayFollow: true);
    }

    /// <summary>The bias Add after a MatMul (or a Conv without bias); any other Add is not a layer NetGen has.</summary>
    private int[] AddBias(NodeProto node, int[] shape, ImportedLayer? layer)
    {
        string? constant = node.Input.FirstOrDefault(name => name != _current);
        if (layer is null || constant is null || node.Input.Count(name => name == _current) != 1)
        {
            Problem(node, "adds to a value that is not the output of a MatMul: NetGen has no separate addition layer");
            return shape;
        }
        int units = layer.Biases.Length;
        if (TryBias(node, constant, units, out float[] biases))
        {
            for (int i = 0; i < units; i++)
            {
                layer.Biases[i] += biases[i];
            }
            Open(layer, biasMayFollow: false);
        }
        return shape;
    }

    private int[] Conv(NodeProto node, int[] shape)
    {
        if (!RequireImage(node, shape))
        {
            return shape;
        }
        if (node.Input.Count < 2 || !_constants.TryGetValue(node.Input[1], out TensorProto? weightTensor))
        {
            Problem(node, "has weights that are not an initializer");
            return shape;
        }
        int[] weightShape = OnnxTensors.Shape(weightTensor);
        if (weightShape.Length != 4 || weightShape[1] != shape[0] || weightShape[2] != weightShape[3])
        {
            Problem(node, $"has weights of shape {Format(weightShape)}; NetGen convolves {shape[0]} channels with square kernels: [filters, {shape[0]}, k, k]");
            return shape;
        }
        CheckInt(node, "group", 1, "is a grouped convolution");
        CheckAllOnes(node, "dilations", "is a dilated convolution");
        int filters = weightShape[0], kernel = weightShape[2];
        CheckKernelShape(node, kernel);
        if (!TryStride(node, out int stride) || !TryConvPadding(node, shape, kernel, stride, out Padding padding))
        {
            return shape;
        }
        float[] biases = new float[filters];
        if (node.Input.Count > 2 && node.Input[2].Length > 0 && !TryBias(node, node.Input[2], filters, out biases))
        {
            return shape;
        }
        int height = OutputLength(shape[1], kernel, stride, padding), width = OutputLength(shape[2], kernel, stride, padding);
        if (height < 1 || width < 1)
        {
            Problem(node, $"leaves no output: a {kernel}x{kernel} kernel does not fit the input {Format(shape)}");
            return shape;
        }
        var layer = new ImportedLayer(LayerKind.Conv2D, shape, [filters, height, width])
        {
            Units = filters, Size = kernel, Stride = stride, Padding = padding,
            Weights = OnnxTensors.Floats(weightTensor), WeightShape = weightShape, Biases = biases,
        };
        return Open(layer, biasMayFollow: false);
    }

    private int[] Pool(NodeProto node, int[] shape, LayerKind kind)
    {
        if (!RequireImage(node, shape))
        {
            return shape;
        }
        long[] kernelShape = Attribute(node, "kernel_shape")?.Ints.ToArray() ?? [];
        if (kernelShape.Length != 2 || kernelShape[0] != kernelShape[1] || kernelShape[0] < 1)
        {
            Problem(node, $"has the window {Format(kernelShape)}; NetGen pools square windows");
            return shape;
        }
        int size = (int)kernelShape[0];
        CheckInt(node, "ceil_mode", 0, "rounds the output size up (ceil_mode = 1)");
        CheckAllOnes(node, "dilations", "is a dilated pooling");
        CheckInt(node, "storage_order", 0, "stores its indices column-major");
        if (!TryStride(node, out int stride))
        {
            return shape;
        }
        string autoPad = AutoPad(node);
        long[] pads = Attribute(node, "pads")?.Ints.ToArray() ?? [];
        if (autoPad is not ("NOTSET" or "VALID") || pads.Any(p => p != 0))
        {
            Problem(node, $"pads its input ({(autoPad is "NOTSET" or "VALID" ? $"pads {Format(pads)}" : $"auto_pad {autoPad}")}); NetGen pools without padding");
            return shape;
        }
        int height = shape[1] < size ? 0 : (shape[1] - size) / stride + 1, width = shape[2] < size ? 0 : (shape[2] - size) / stride + 1;
        if (height < 1 || width < 1)
        {
            Problem(node, $"leaves no output: a {size}x{size} window does not fit the input {Format(shape)}");
            return shape;
        }
        var layer = new ImportedLayer(kind, shape, [shape[0], height, width]) { Size = size, Stride = stride };
        _layers.Add(layer);
        return layer.OutputShape;
    }

    private int[] GlobalAveragePool(NodeProto node, int[] shape)
    {
        if (!RequireImage(node, shape))
        {
            return shape;
        }
        _layers.Add(new ImportedLayer(LayerKind.GlobalAveragePool, shape, [shape[0]]));
        // ONNX keeps [c, 1, 1]; NetGen's layer writes [c], which the Flatten after it leaves as it is.
        return [shape[0], 1, 1];
    }

    private int[] ReduceMean(NodeProto node, int[] shape)
    {
        long[] axes = Attribute(node, "axes")?.Ints.ToArray()
                      ?? (node.Input.Count > 1 && _constants.TryGetValue(node.Input[1], out TensorProto? axesTensor) ? OnnxTensors.Int64s(axesTensor) : []);
        int rank = shape.Length + 1;
        long[] normalized = axes.Select(axis => axis < 0 ? axis + rank : axis).Order().ToArray();
        bool keepDims = (Attribute(node, "keepdims")?.I ?? 1) != 0;
        bool overSteps = shape.Length == 2 && normalized.SequenceEqual([1L]);
        bool overImage = shape.Length == 3 && normalized.SequenceEqual([2L, 3L]);
        if (!overSteps && !overImage)
        {
            Problem(node, $"averages over the axes {Format(axes)} of [batch, {string.Join(", ", shape)}]; NetGen averages a sequence over its steps (axis 1) or an image over height and width (axes 2, 3)");
            return shape;
        }
        int features = overImage ? shape[0] : shape[1];
        _layers.Add(new ImportedLayer(LayerKind.GlobalAveragePool, shape, [features]));
        return keepDims ? (overImage ? [features, 1, 1] : [1, features]) : [features];
    }

    private int[] Flatten(NodeProto node, int[] shape, long axis)
    {
        if (axis != 1)
        {
            Problem(node, $"flattens from axis {axis}; NetGen flattens everything after the batch axis (axis 1)");
            return shape;
        }
        int size = shape.Aggregate(1, (product, d) => product * d);
        // After a GlobalAveragePool, ONNX flattens [c, 1, 1] while NetGen's layer already wrote [c].
        bool alreadyVector = _layers.Count > 0 && _layers[^1].OutputShape.Length == 1;
        if (shape.Length > 1 && !alreadyVector)
        {
            _layers.Add(new ImportedLayer(LayerKind.Flatten, shape, [size]));
        }
        return [size];
    }

    private int[] Reshape(NodeProto node, int[] shape)
    {
        if (node.Input.Count < 2 || !_constants.TryGetValue(node.Input[1], out TensorProto? target))
        {
            Problem(node, "reshapes to a shape computed at run time (export with a fixed shape: x.reshape(-1, n) or nn.Flatten())");
            return shape;
        }
        long[] dims = OnnxTensors.Int64s(target);
        int size = shape.Aggregate(1, (product, d) => product * d);
        // The batch axis as -1 (inferred), 0 (copied) or the batch size of a model exported with a fixed batch of 1.
        bool toVector = dims.Length == 2 && dims[0] is -1 or 0 or 1 && (dims[1] == size || dims[1] == -1 && dims[0] != -1);
        if (!toVector)
        {
            Problem(node, $"reshapes [batch, {string.Join(", ", shape)}] to {Format(dims)}; NetGen reshapes only to [batch, {size}] (a Flatten)");
            return shape;
        }
        return Flatten(node, shape, 1);
    }

    /// <summary>A Pad of zeros, which torch.onnx.export writes before an AveragePool: nothing to do. Any other padding is no NetGen layer.</summary>
    private int[] Pad(NodeProto node, int[] shape, ImportedLayer? open, bool biasMayFollow)
    {
        long[]? pads = Attribute(node, "pads")?.Ints.ToArray()
                       ?? (node.Input.Count > 1 && _constants.TryGetValue(node.Input[1], out TensorProto? padsTensor) ? OnnxTensors.Int64s(padsTensor) : null);
        if (pads is null || pads.Any(p => p != 0))
        {
            Problem(node, $"pads its input ({(pads is null ? "with pads computed at run time" : $"pads {Format(pads)}")}); NetGen pads only inside a Conv2D (Padding.Same)");
            return shape;
        }
        _open = open;
        _biasMayFollow = biasMayFollow;
        return shape;
    }

    /// <summary>The checks of a node's operator and attributes alone, for nodes after the chain broke.</summary>
    private void CheckWithoutShape(NodeProto node)
    {
        switch (node.OpType)
        {
            case "Gemm":
                CheckFloat(node, "alpha", 1f);
                CheckFloat(node, "beta", 1f);
                CheckInt(node, "transA", 0, "multiplies a transposed input");
                break;
            case "Conv":
                CheckInt(node, "group", 1, "is a grouped convolution");
                CheckAllOnes(node, "dilations", "is a dilated convolution");
                break;
            case "MaxPool" or "AveragePool":
                CheckInt(node, "ceil_mode", 0, "rounds the output size up (ceil_mode = 1)");
                CheckAllOnes(node, "dilations", "is a dilated pooling");
                break;
            case "RNN" or "LSTM" or "GRU":
                CheckRecurrentAttributes(node);
                break;
            case "MatMul" or "Add" or "GlobalAveragePool" or "ReduceMean" or "Flatten" or "Reshape" or "Relu" or "Sigmoid" or "Tanh"
                or "Softmax" or "Pad" or "Identity" or "Dropout" or "Transpose" or "Squeeze" or "Gather" or "Cast" or "Mul" or "ReduceSum" or "Div":
                break;
            default:
                Problem(node, UnknownOperator);
                break;
        }
    }

    private const string UnknownOperator = "is not an operator NetGen can declare (it reads Gemm, MatMul + Add, Conv, MaxPool, AveragePool, GlobalAveragePool, " +
                                           "ReduceMean, Flatten, Reshape, Relu, Sigmoid, Tanh, Softmax, Identity, Dropout, zero Pad, RNN, LSTM and GRU with their " +
                                           "Transpose, Squeeze and last-step Gather, an embedding's Gather, and a padding-masked mean)";

    private int[] Activate(NodeProto node, int[] shape, ImportedLayer? open, Activation activation)
    {
        if (open is null)
        {
            ImportedLayer? last = _layers.Count == 0 ? null : _layers[^1];
            string after = last is null ? "the input"
                : last.Activation != Activation.Identity ? $"the {last.Activation} of a {last.Kind} layer (NetGen has one activation per layer)"
                : $"a {last.Kind} layer";
            Problem(node, $"applies {activation} to {after}; NetGen applies activations only to the output of a Dense (Gemm, MatMul) or Conv2D (Conv) layer");
            return shape;
        }
        open.Activation = activation;
        return shape;
    }

    private int[] Softmax(NodeProto node, int[] shape, ImportedLayer? open)
    {
        long axis = Attribute(node, "axis")?.I ?? (_opset >= 13 ? -1 : 1);
        if (shape.Length != 1 || axis is not (-1 or 1))
        {
            Problem(node, $"normalizes axis {axis} of [batch, {string.Join(", ", shape)}]; NetGen's softmax normalizes a vector of outputs");
            return shape;
        }
        return Activate(node, shape, open, Activation.Softmax);
    }

    private void ReadOutput()
    {
        if (_graph.Output.Count != 1)
        {
            _problems.Add($"the graph has {_graph.Output.Count} outputs; a NetGen network has one");
            return;
        }
        string output = _graph.Output[0].Name;
        if (output != _current)
        {
            _problems.Add($"the graph's output '{output}' is not the end of the chain of nodes ('{_current}')");
        }
        if (_layers.Count == 0)
        {
            _problems.Add("the graph has no layer NetGen can declare");
            return;
        }
        for (int i = 0; i < _layers.Count - 1; i++)
        {
            if (_layers[i].Activation == Activation.Softmax)
            {
                _problems.Add($"layer {i + 1} ({_layers[i].Kind}) has a Softmax before the output layer; NetGen applies Softmax only to the output layer");
            }
        }
        if (_layers[^1].OutputShape.Length != 1 && _problems.Count == 0)
        {
            _problems.Add($"the network ends with an image {Format(_layers[^1].OutputShape)}; flatten it (nn.Flatten) so that the output is a vector");
        }
    }

    private void ReadConstant(NodeProto node)
    {
        AttributeProto? value = Attribute(node, "value");
        if (value?.T is null || node.Output.Count != 1)
        {
            Problem(node, "is a constant in a form NetGen does not read (only 'value' tensors)");
            return;
        }
        _constants[node.Output[0]] = value.T;
    }

    private int[] Open(ImportedLayer layer, bool biasMayFollow)
    {
        if (!_layers.Contains(layer))
        {
            _layers.Add(layer);
        }
        _open = layer;
        _biasMayFollow = biasMayFollow;
        return layer.OutputShape;
    }

    /// <summary>A [units, inputs] weight matrix in NetGen's layout from the node's input <paramref name="index"/>, stored [units, inputs] when <paramref name="transposed"/>, else [inputs, units].</summary>
    private bool TryWeightMatrix(NodeProto node, int index, int inputs, bool transposed, out float[] weights, out int units)
    {
        weights = [];
        units = 0;
        if (node.Input.Count <= index || !_constants.TryGetValue(node.Input[index], out TensorProto? tensor))
        {
            Problem(node, "has weights that are not an initializer");
            return false;
        }
        int[] shape = OnnxTensors.Shape(tensor);
        int inputAxis = transposed ? 1 : 0;
        if (shape.Length != 2 || shape[inputAxis] != inputs)
        {
            Problem(node, $"has weights of shape {Format(shape)}; for {inputs} inputs NetGen expects {(transposed ? $"[units, {inputs}]" : $"[{inputs}, units]")}");
            return false;
        }
        float[] values = OnnxTensors.Floats(tensor);
        units = shape[1 - inputAxis];
        if (transposed)
        {
            weights = values;
            return true;
        }
        weights = new float[values.Length];
        for (int unit = 0; unit < units; unit++)
        {
            for (int input = 0; input < inputs; input++)
            {
                weights[unit * inputs + input] = values[input * units + unit];
            }
        }
        return true;
    }

    private bool TryBias(NodeProto node, string name, int units, out float[] biases)
    {
        biases = [];
        if (!_constants.TryGetValue(name, out TensorProto? tensor))
        {
            Problem(node, $"adds '{name}', which is not an initializer");
            return false;
        }
        int[] shape = OnnxTensors.Shape(tensor);
        bool fits = shape.Length == 1 && shape[0] == units || shape.Length == 2 && shape[0] == 1 && shape[1] == units;
        if (!fits)
        {
            Problem(node, $"adds a tensor of shape {Format(shape)}; NetGen's biases are one per unit: [{units}]");
            return false;
        }
        biases = OnnxTensors.Floats(tensor);
        return true;
    }

    private bool TryStride(NodeProto node, out int stride)
    {
        long[] strides = Attribute(node, "strides")?.Ints.ToArray() ?? [1, 1];
        stride = strides.Length == 2 && strides[0] == strides[1] && strides[0] >= 1 ? (int)strides[0] : 0;
        if (stride == 0)
        {
            Problem(node, $"has the strides {Format(strides)}; NetGen strides the same along both axes");
            return false;
        }
        return true;
    }

    /// <summary>
    /// Valid when nothing is padded; Same when the pads are exactly NetGen's (and TensorFlow's, and ONNX's SAME_UPPER):
    /// max((out - 1) * stride + k - in, 0) zeros per axis, the odd one after. Any other padding is not NetGen's.
    /// </summary>
    private bool TryConvPadding(NodeProto node, int[] shape, int kernel, int stride, out Padding padding)
    {
        padding = Padding.Valid;
        string autoPad = AutoPad(node);
        long[] pads = Attribute(node, "pads")?.Ints.ToArray() ?? [0, 0, 0, 0];
        if (autoPad == "VALID" || autoPad == "NOTSET" && pads.All(p => p == 0))
        {
            return true;
        }
        long[] same = SamePads(shape, kernel, stride);
        if (autoPad == "SAME_UPPER" || autoPad == "NOTSET" && pads.SequenceEqual(same) || autoPad == "SAME_LOWER" && same[0] == same[2] && same[1] == same[3])
        {
            padding = Padding.Same;
            return true;
        }
        Problem(node, autoPad == "NOTSET"
            ? $"pads {Format(pads)} (top, left, bottom, right); NetGen pads nothing (Valid) or {Format(same)} here (Same: the output {Format([OutputLength(shape[1], kernel, stride, Padding.Same), OutputLength(shape[2], kernel, stride, Padding.Same)])} = input / stride, rounded up)"
            : $"has auto_pad {autoPad}, which is not NetGen's Same padding for this input");
        return false;
    }

    private static long[] SamePads(int[] shape, int kernel, int stride)
    {
        long Total(int input) => Math.Max((OutputLength(input, kernel, stride, Padding.Same) - 1) * stride + kernel - input, 0);
        long height = Total(shape[1]), width = Total(shape[2]);
        return [height / 2, width / 2, height - height / 2, width - width / 2];
    }

    private static int OutputLength(int input, int kernel, int stride, Padding padding)
        => padding == Padding.Same ? (input + stride - 1) / stride : input < kernel ? 0 : (input - kernel) / stride + 1;

    private void CheckKernelShape(NodeProto node, int kernel)
    {
        long[]? kernelShape = Attribute(node, "kernel_shape")?.Ints.ToArray();
        if (kernelShape is not null && !kernelShape.SequenceEqual([kernel, kernel]))
        {
            Problem(node, $"has the kernel_shape {Format(kernelShape)} but weights of {kernel}x{kernel}");
        }
    }

    private bool RequireVector(NodeProto node, int[] shape)
    {
        if (shape.Length == 1)
        {
            return true;
        }
        Problem(node, $"multiplies [batch, {string.Join(", ", shape)}]; NetGen's dense layers read vectors (flatten first)");
        return false;
    }

    private bool RequireImage(NodeProto node, int[] shape)
    {
        if (shape.Length == 3)
        {
            return true;
        }
        Problem(node, $"reads [batch, {string.Join(", ", shape)}]; NetGen's {node.OpType} reads images [batch, channels, height, width]");
        return false;
    }

    private void CheckInt(NodeProto node, string name, long expected, string what)
    {
        long? value = Attribute(node, name)?.I;
        if (value is long actual && actual != expected)
        {
            Problem(node, $"{what} ({name} = {actual}); NetGen supports only {name} = {expected}");
        }
    }

    private void CheckFloat(NodeProto node, string name, float expected)
    {
        float? value = Attribute(node, name)?.F;
        if (value is float actual && actual != expected)
        {
            Problem(node, $"scales by {name} = {actual}; NetGen supports only {name} = {expected}");
        }
    }

    private void CheckAllOnes(NodeProto node, string name, string what)
    {
        long[]? values = Attribute(node, name)?.Ints.ToArray();
        if (values is not null && values.Any(v => v != 1))
        {
            Problem(node, $"{what} ({name} {Format(values)}); NetGen supports only {name} of 1");
        }
    }

    private static string AutoPad(NodeProto node)
    {
        AttributeProto? autoPad = Attribute(node, "auto_pad");
        return autoPad is null ? "NOTSET" : autoPad.S.ToStringUtf8();
    }

    private static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    private void Problem(NodeProto node, string why)
        => _problems.Add($"node '{(node.Name.Length > 0 ? node.Name : string.Join(",", node.Output))}' ({node.OpType}): {why}");

    private static string Format<T>(IEnumerable<T> values) => "[" + string.Join(", ", values) + "]";
}
