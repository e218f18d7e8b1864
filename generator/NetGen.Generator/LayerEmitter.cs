using System;

namespace NetGen.Generator;

/// <summary>
/// Emits one layer's constants, initialization, forward method and backward method. Each kind of layer in the model
/// has its own subclass; <see cref="Create"/> is the one place that maps a model record to its emitter.
/// </summary>
internal abstract class LayerEmitter
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
        _ => throw new ArgumentException($"No emitter for layer kind {layer.Kind}.", nameof(layer)),
    };

    /// <summary>One row of the layer table in the class's XML documentation.</summary>
    public abstract string Describe();

    /// <summary>The <c>LayerInfo</c> expression that describes the layer at run time.</summary>
    public abstract string LayerInfoExpression();

    /// <summary>Constants naming where the layer's parameters sit.</summary>
    public abstract void EmitOffsets(IndentedWriter writer);

    /// <summary>Statements inside <c>InitializeParameters</c> that draw the layer's parameters from <c>random</c>.</summary>
    public abstract void EmitInitialization(IndentedWriter writer);

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

    /// <summary>
    /// The method <c>(parameters, input, delta, learningRate)</c> that applies one sample's gradient descent step to
    /// the layer's parameters in place, theta -= learningRate * dL/dtheta, without storing the gradient.
    /// </summary>
    public abstract void EmitSgdUpdate(IndentedWriter writer, VectorKernelEmitter kernels);
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
