using System;
using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// Emits one layer's constants, initialization, forward method and backward method. Each kind of layer in the model
/// has its own subclass; <see cref="Create"/> is the one place that maps a model record to its emitter.
/// </summary>
internal abstract partial class LayerEmitter
{
    protected LayerEmitter(LayerModel layer, int number, int parameterOffset, bool isOutput)
    {
        Layer = layer;
        Number = number;
        ParameterOffset = parameterOffset;
        IsOutput = isOutput;
    }

    public LayerModel Layer { get; }

    /// <summary>The layer's position, counting from 1 at the layer after the input.</summary>
    public int Number { get; }

    /// <summary>The index of the layer's first parameter in the flat parameter vector.</summary>
    public int ParameterOffset { get; }

    public bool IsOutput { get; }

    public bool IsFirst => Number == 1;

    public string ForwardName => $"ForwardLayer{Number}";

    public string BackwardName => $"BackwardLayer{Number}";

    public static LayerEmitter Create(LayerModel layer, int number, int parameterOffset, bool isOutput, int unrollThreshold) => layer switch
    {
        DenseLayerModel dense => new DenseLayerEmitter(dense, number, parameterOffset, isOutput, unrollThreshold),
        Conv2DLayerModel convolution => new Conv2DLayerEmitter(convolution, number, parameterOffset, isOutput),
        Pool2DLayerModel pooling => new Pool2DLayerEmitter(pooling, number, parameterOffset, isOutput),
        FlattenLayerModel flatten => new FlattenLayerEmitter(flatten, number, parameterOffset, isOutput),
        GlobalAveragePoolLayerModel { SkipsPadding: true } pooling => new PaddingMaskedMeanLayerEmitter(pooling, number, parameterOffset, isOutput),
        GlobalAveragePoolLayerModel pooling => new GlobalAveragePoolLayerEmitter(pooling, number, parameterOffset, isOutput),
        EmbeddingLayerModel embedding => new EmbeddingLayerEmitter(embedding, number, parameterOffset, isOutput),
        RecurrentLayerModel recurrent => new RecurrentLayerEmitter(recurrent, number, parameterOffset, isOutput),
        _ => throw new ArgumentException($"No emitter for layer kind {layer.Kind}.", nameof(layer)),
    };

    public bool HasParameters => Layer.ParameterCount > 0;

    /// <summary>
    /// Whether each of the layer's methods takes the network's input as its last argument, <c>tokens</c> (the
    /// network's input rows, <c>count</c> of them, in the micro-batch methods): a mean that leaves out the padding
    /// positions of an embedding reads their token ids there.
    /// </summary>
    public virtual bool ReadsNetworkInput => false;

    /// <summary>
    /// The floats per sample that the layer's forward step keeps, in a training pass, for its backward step (a recurrent
    /// layer's states and gates, so that the backward pass does not run the forward again): the pass declares
    /// <c>saved{k}</c> of that many floats per sample and hands it to both steps. 0: the layer keeps nothing.
    /// </summary>
    public virtual int SavedFloats => 0;

    /// <summary>The name of the constant that holds where a block starts: Layer1Weights, Layer1Biases.</summary>
    protected virtual string BlockConstantName(ParameterBlockModel block)
        => $"Layer{Number}" + (block.Role == ParameterRole.Bias ? "Biases" : block.Role == ParameterRole.Weight ? "Weights" : char.ToUpperInvariant(block.Name[0]) + block.Name.Substring(1));

    /// <summary>Each block with the index of its first parameter in the flat vector.</summary>
    protected System.Collections.Generic.IEnumerable<(ParameterBlockModel Block, int Offset)> BlocksWithOffsets()
    {
        int offset = ParameterOffset;
        foreach (ParameterBlockModel block in Layer.Blocks)
        {
            yield return (block, offset);
            offset += block.Count;
        }
    }

    /// <summary>One row of the layer table in the class's XML documentation: shapes, activation, blocks and where they sit.</summary>
    public virtual string Describe()
    {
        string blocks = string.Join(", ", BlocksWithOffsets().Select(b => $"{b.Block.Name} {b.Block.Shape} at {b.Offset}..{b.Offset + b.Block.Count - 1}"));
        string activation = Layer.Activation == Activation.Identity ? "" : ", " + Layer.Activation;
        string dropout = Layer.DropoutRate > 0f ? $"; dropout {Layer.DropoutRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} while training" : "";
        return $"{Layer.InputShape} -> {Layer.OutputShape}{activation}{(blocks.Length == 0 ? ", no parameters" : ": " + blocks)}{dropout}";
    }

    /// <summary>The <c>LayerInfo</c> expression that describes the layer at run time.</summary>
    public string LayerInfoExpression()
    {
        string blocks = string.Join(", ", BlocksWithOffsets().Select(b =>
            $"new global::NetGen.ParameterBlock(\"{b.Block.Name}\", global::NetGen.ParameterRole.{b.Block.Role}, {BlockConstantName(b.Block)}, {b.Block.Shape.ElementList})"));
        return $"new global::NetGen.LayerInfo(global::NetGen.LayerKind.{Layer.Kind}, new int[] {{ {Layer.InputShape.ElementList} }}, new int[] {{ {Layer.OutputShape.ElementList} }}, "
            + $"global::NetGen.Activation.{Layer.Activation}, {ArrayOf("global::NetGen.ParameterBlock", blocks)}, {ArrayOf("int", string.Join(", ", Layer.Arguments))})";
    }

    /// <summary>An array expression of <paramref name="type"/>: its elements, or Array.Empty when there are none.</summary>
    private static string ArrayOf(string type, string elements)
        => elements.Length == 0 ? $"global::System.Array.Empty<{type}>()" : $"new {type}[] {{ {elements} }}";

    /// <summary>Constants naming where the layer's parameter blocks sit.</summary>
    public virtual void EmitOffsets(IndentedWriter writer)
    {
        bool first = true;
        foreach (var (block, offset) in BlocksWithOffsets())
        {
            if (!first)
            {
                writer.WriteLine();
            }
            first = false;
            writer.WriteLine($"/// <summary>Layer {Number}'s {block.Name}, {block.Shape} row-major, starts here.</summary>");
            writer.WriteLine($"internal const int {BlockConstantName(block)} = {offset};");
        }
    }

    /// <summary>
    /// Statements inside <c>InitializeParameters</c> that draw the layer's weights from <c>random</c>, with the fans of
    /// each block of weights (Glorot, or He for ReLU). Biases stay zero.
    /// </summary>
    public virtual void EmitInitialization(IndentedWriter writer)
    {
        foreach (var (block, _) in BlocksWithOffsets())
        {
            if (block.Role == ParameterRole.Bias)
            {
                continue;
            }
            writer.WriteLine($"global::NetGen.CompilerServices.ParameterInitializer.InitializeWeights(parameters.Slice({NetworkEmitter.KernelsClass}.{BlockConstantName(block)}, {block.Count}), fanIn: {block.FanIn}, fanOut: {block.FanOut}, global::NetGen.Activation.{Layer.Activation}, ref random);");
        }
    }

    /// <summary>
    /// The forward method. A hidden layer's is <c>(parameters, input, output)</c>; the output layer's is
    /// <c>(parameters, input, logits, output)</c>, keeping the weighted sums z the losses need.
    /// </summary>
    public abstract void EmitForward(IndentedWriter writer, VectorKernelEmitter kernels);

    /// <summary>
    /// The backward method <c>(parameters, input, delta, gradient[, inputGradient])</c>: given delta = dL/dz of the
    /// layer's units, adds dL/dW and dL/db into gradient and, except for the first layer, writes dL/d(input).
    /// </summary>
    public abstract void EmitBackward(IndentedWriter writer, VectorKernelEmitter kernels);

    public string ForwardBatchName => $"ForwardLayer{Number}Batch";

    public string BackwardBatchName => $"BackwardLayer{Number}Batch";

    /// <summary>
    /// The forward method for a micro-batch: the same signature as <see cref="EmitForward"/> with each span holding
    /// <c>count</c> rows, plus <c>int count</c>. It must compute exactly what the per-sample method computes.
    /// </summary>
    public abstract void EmitForwardBatch(IndentedWriter writer, VectorKernelEmitter kernels);

    /// <summary>The backward method for a micro-batch; spans hold <c>count</c> rows; adds the gradients of all of them.</summary>
    public abstract void EmitBackwardBatch(IndentedWriter writer, VectorKernelEmitter kernels);

    public string InputGradientName => $"InputGradientLayer{Number}";

    public string SgdUpdateName => $"SgdUpdateLayer{Number}";

    /// <summary>
    /// For every layer but the first, the method <c>(parameters, delta, inputGradient)</c> that writes
    /// dL/d(input) from the layer's delta and its weights, without touching any gradient: the fused SGD step needs
    /// every delta before it changes a weight.
    /// </summary>
    public abstract void EmitInputGradient(IndentedWriter writer, VectorKernelEmitter kernels);

    /// <summary>The arguments of the call to the method <see cref="EmitInputGradient"/> writes.</summary>
    public virtual string InputGradientArguments(string input, string delta, string inputGradient) => $"parameters, {delta}, {inputGradient}";

    /// <summary>
    /// The method <c>(parameters, input, delta, learningRate)</c> that applies one sample's gradient descent step to
    /// the layer's parameters in place, theta -= learningRate * dL/dtheta, without storing the gradient.
    /// </summary>
    public abstract void EmitSgdUpdate(IndentedWriter writer, VectorKernelEmitter kernels);

    /// <summary>
    /// In a training pass, after the layer's forward step: when the layer declares dropout, draws its mask and writes
    /// the kept outputs into <c>dropped{k}</c>, which the next layer reads. <paramref name="count"/> is the number of
    /// samples as C# ("count" in the micro-batch pass), or null for one sample.
    /// </summary>
    public void EmitDropout(IndentedWriter writer, string? count, bool workspace)
    {
        if (Layer.DropoutRate <= 0f)
        {
            return;
        }
        string rate = Layer.DropoutRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "f";
        string size = count is null ? Layer.OutputSize.ToString() : $"{count} * {Layer.OutputSize}";
        int k = Number;
        if (count is null)
        {
            writer.WriteLine($"// Dropout on layer {k}: each unit is kept with probability 1 - {rate} and then scaled by 1 / (1 - {rate}).");
        }
        writer.WriteLine(Scratch.Declare(workspace, $"mask{k}", size));
        writer.WriteLine(count is null
            ? $"global::NetGen.CompilerServices.Dropout.DrawMask(mask{k}, {rate}, ref random);"
            : $"global::NetGen.CompilerServices.Dropout.DrawMask(mask{k}.Slice(0, {size}), {rate}, ref random);");
        writer.WriteLine(Scratch.Declare(workspace, $"dropped{k}", size));
        using (writer.Block($"for (int i = 0; i < {size}; i++)"))
        {
            writer.WriteLine($"dropped{k}[i] = hidden{k}[i] * mask{k}[i];");
        }
    }

    /// <summary>
    /// In a training pass, once the next layer has written dL/d(this layer's output) into <c>delta{k}</c>: turns it into
    /// dL/dz in place, through the layer's dropout mask (when <paramref name="withDropout"/>) and its activation's
    /// derivative, written with the layer's output <c>hidden{k}</c>. <paramref name="count"/> as for <see cref="EmitDropout"/>.
    /// </summary>
    public void EmitOutputGradientToDelta(IndentedWriter writer, string? count, bool withDropout, string readAs)
    {
        int k = Number;
        bool dropped = withDropout && Layer.DropoutRate > 0f;
        string? derivative = ActivationCode.MultiplyByDerivative(Layer.Activation, $"delta{k}[i]", $"hidden{k}[i]");
        if (derivative is null && !dropped)
        {
            return;
        }
        if (count is null)
        {
            string through = dropped ? $"through the dropout mask{(derivative is null ? "" : " and")} " : "";
            string times = derivative is null ? "" : $"times {ActivationCode.DerivativeComment(Layer.Activation)}";
            writer.WriteLine($"// delta{k} holds dL/d{readAs}; {through}{times}, it becomes dL/dz.".Replace(" ,", ","));
        }
        string? vectorized = derivative is null ? null : VectorizedDerivativeMethod;
        if (vectorized is not null && !dropped)
        {
            writer.WriteLine($"{NetworkEmitter.KernelsClass}.{vectorized}(hidden{k}, delta{k});");
            return;
        }
        using (writer.Block($"for (int i = 0; i < {(count is null ? "" : count + " * ")}{Layer.OutputSize}; i++)"))
        {
            if (dropped)
            {
                writer.WriteLine($"delta{k}[i] *= mask{k}[i];");
            }
            if (derivative is not null && vectorized is null)
            {
                writer.WriteLine(derivative);
            }
        }
        if (vectorized is not null)
        {
            writer.WriteLine($"{NetworkEmitter.KernelsClass}.{vectorized}(hidden{k}, delta{k});");
        }
    }

    /// <summary>
    /// The name of a kernels-class method <c>(ReadOnlySpan&lt;float&gt; output, Span&lt;float&gt; delta)</c> that the layer
    /// writes to multiply delta by its activation's derivative a vector at a time (for large outputs such as a
    /// convolution's), or null for the loop over units that <see cref="EmitOutputGradientToDelta"/> writes itself.
    /// </summary>
    protected virtual string? VectorizedDerivativeMethod => null;
}

/// <summary>The activation functions as C# expressions, shared by every layer emitter.</summary>
internal static class ActivationCode
{
    /// <summary>a = f(z) for one unit. Softmax is not per unit and has no expression here.</summary>
    public static string Apply(Activation activation, string z) => activation switch
    {
        Activation.Identity => z,
        Activation.Step => $"{z} >= 0f ? 1f : 0f",
        Activation.Sigmoid => $"Sigmoid({z})",
        Activation.Tanh => $"Tanh({z})",
        Activation.ReLU => $"Max({z}, 0f)",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Softmax applies to a whole layer."),
    };

    /// <summary>
    /// The statement that turns dL/da into dL/dz in place, written with the unit's output a (each derivative here
    /// can be computed from a alone), or null when f' = 1.
    /// </summary>
    public static string? MultiplyByDerivative(Activation activation, string delta, string a) => activation switch
    {
        Activation.Identity => null,
        Activation.Sigmoid => $"{delta} *= {a} * (1f - {a});",
        Activation.Tanh => $"{delta} *= 1f - {a} * {a};",
        Activation.ReLU => $"{delta} = {a} > 0f ? {delta} : 0f;",
        Activation.Step => $"{delta} = 0f;",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Softmax has no per-unit derivative."),
    };

    /// <summary>Whether the lane-form pass has the activation: those computed lane for lane as the sample-by-sample code computes them.</summary>
    public static bool HasLaneForm(Activation activation) => activation is Activation.Identity or Activation.Tanh or Activation.Sigmoid or Activation.ReLU;

    /// <summary>a = f(z) for every lane of a Vector512: the kernels' vector tanh and sigmoid, which the span helpers run too; ReLU's Vector512.Max, which like MathF.Max keeps NaN and puts +0 above -0.</summary>
    public static string ApplyInLanes(Activation activation, string z) => activation switch
    {
        Activation.Identity => z,
        Activation.Sigmoid => $"Sigmoid({z})",
        Activation.Tanh => $"Tanh({z})",
        Activation.ReLU => $"Vector512.Max({z}, {LaneCode.Zero})",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "No lane form."),
    };

    /// <summary><see cref="MultiplyByDerivative"/> for every lane of a Vector512: the same operations in the same order.</summary>
    public static string? MultiplyByDerivativeInLanes(Activation activation, string delta, string a) => activation switch
    {
        Activation.Identity => null,
        Activation.Sigmoid => $"{delta} *= {a} * ({LaneCode.One} - {a});",
        Activation.Tanh => $"{delta} *= {LaneCode.One} - {a} * {a};",
        Activation.ReLU => $"{delta} = Vector512.ConditionalSelect(Vector512.GreaterThan({a}, {LaneCode.Zero}), {delta}, {LaneCode.Zero});",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "No lane form."),
    };

    /// <summary>Whether the activation is applied to a whole layer at once by a SIMD helper (tanh and sigmoid, which need e^x).</summary>
    public static bool IsVectorized(Activation activation) => activation is Activation.Tanh or Activation.Sigmoid;

    /// <summary>The activation applied unit by unit inside a layer's loop: none for the vectorized ones, which follow the loop.</summary>
    public static Activation Inline(Activation activation) => IsVectorized(activation) ? Activation.Identity : activation;

    /// <summary>The statement that applies a vectorized activation to a whole span: <c>Tanh(z, a);</c>.</summary>
    public static string ApplyToSpan(Activation activation, string z, string a) => $"{activation}({z}, {a});";

    public static string DerivativeComment(Activation activation) => activation switch
    {
        Activation.Sigmoid => "sigmoid'(z) = a (1 - a)",
        Activation.Tanh => "tanh'(z) = 1 - a^2",
        Activation.ReLU => "relu'(z) = 1 where a > 0, else 0",
        Activation.Step => "step'(z) = 0: gradient descent gets no signal through a step (train it with Perceptron.Train)",
        _ => "",
    };
}
