using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// The passes through the network: one chaining code for all of them, read from a <see cref="PassPlan"/>. The forward
/// chain (Predict and Evaluate use it too), the loss and the output layer's delta, and the backward chain, in which each
/// layer applies its own dropout mask and activation derivative (<see cref="LayerEmitter.EmitBackwardStep"/>), are
/// the same code for AccumulateGradient, SgdStep and the micro-batch pass behind the batch entry points.
/// </summary>
internal static partial class NetworkEmitter
{
    /// <summary>
    /// How many samples the batch path processes together: the largest power of two, at most 64, whose activations and
    /// deltas fit in half the stack budget. The more samples, the fewer times each weight and each gradient slot travels
    /// between cache and registers per batch.
    /// </summary>
    public static int MicroBatchSize(NetworkModel model)
    {
        long fits = NetworkParser.MaxScratchBytes / 2 / sizeof(float) / System.Math.Max(1, TrainingScratchFloats(model));
        int size = 1;
        while (size < 64 && size * 2 <= fits)
        {
            size *= 2;
        }
        return size;
    }

    /// <summary>The body of AccumulateBatchGradient and ComputeBatchGradient, in the kernels class: micro-batch after micro-batch.</summary>
    private static void EmitBatchGradient(IndentedWriter writer)
    {
        writer.WriteLine();
        writer.WriteLines($$"""
            /// <summary>The batch entry points' body: micro-batch after micro-batch, the first one overwriting the gradient when asked.</summary>
            {{Optimized}}
            internal static float BatchGradient(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> gradient, bool overwrite, ref global::NetGen.DeterministicRandom random)
            {
                global::NetGen.CompilerServices.ArgumentLength.Check(parameters.Length, ParameterCount, nameof(parameters));
                global::NetGen.CompilerServices.ArgumentLength.Check(gradient.Length, ParameterCount, nameof(gradient));
                int count = inputs.Length / InputSize;
                global::NetGen.CompilerServices.ArgumentLength.Check(inputs.Length, count * InputSize, nameof(inputs));
                global::NetGen.CompilerServices.ArgumentLength.Check(targets.Length, count * OutputSize, nameof(targets));
                if (overwrite && count == 0)
                {
                    gradient.Clear();
                }
                float loss = 0f;
                for (int start = 0; start < count; start += MicroBatch)
                {
                    int size = global::System.Math.Min(MicroBatch, count - start);
                    // Only the first micro-batch overwrites; the others add to it.
                    loss += AccumulateMicroBatch(parameters, inputs.Slice(start * InputSize, size * InputSize), targets.Slice(start * OutputSize, size * OutputSize), size, gradient, overwrite && start == 0, ref random);
                }
                return loss;
            }
            """);
    }

    private static void EmitMicroBatch(IndentedWriter writer, NetworkModel model, List<LayerEmitter> layers)
    {
        int batch = MicroBatchSize(model);
        writer.WriteLine();
        writer.WriteLines($"""
            /// <summary>The number of samples whose activations the batch path keeps on the stack at once.</summary>
            internal const int MicroBatch = {batch};

            /// <summary>
            /// Forward, loss and backward for up to MicroBatch samples, one row each: adds their gradients into <paramref name="gradient"/>
            /// (or, with <paramref name="overwrite"/>, replaces it by their sum) and returns the sum of their losses.
            /// </summary>
            {Optimized}
            """);
        var pass = PassPlan.MicroBatch(Scratch.UsesWorkspace(model));
        using (writer.Block("internal static float AccumulateMicroBatch(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int count, Span<float> gradient, bool overwrite, ref global::NetGen.DeterministicRandom random)"))
        {
            LanePassEmitter.EmitDispatch(writer, model, layers);
            using (Scratch.Scope(writer, pass.Workspace))
            {
                EmitTrainingPassBody(writer, model, layers, pass);
            }
        }
        LanePassEmitter.Emit(writer, model, layers);
    }

    private static void EmitTrainingPass(IndentedWriter writer, NetworkModel model, List<LayerEmitter> layers, bool withDropout, bool fusedSgd = false)
    {
        if (fusedSgd)
        {
            EmitChecks(writer, "input", "target");
        }
        else
        {
            EmitChecks(writer, "input", "target", "gradient");
        }
        var pass = PassPlan.Sample(withDropout, fusedSgd, Scratch.UsesWorkspace(model));
        using (Scratch.Scope(writer, pass.Workspace))
        {
            EmitTrainingPassBody(writer, model, layers, pass);
        }
    }

    /// <summary>
    /// The body every training pass shares, per sample or per micro-batch: the forward chain, the loss and the output
    /// layer's delta, the backward chain from the output layer to the first, and in a fused SGD step the update.
    /// </summary>
    private static void EmitTrainingPassBody(IndentedWriter writer, NetworkModel model, List<LayerEmitter> layers, PassPlan pass)
    {
        if (!pass.IsMicroBatch)
        {
            writer.WriteLine();
            writer.WriteLine("// Forward: keep every layer's output, which the backward pass needs.");
            writer.WriteLine(pass.Declare("prediction", "OutputSize"));
        }
        string[] layerInputs = EmitForwardChain(writer, model, layers, pass, "prediction");
        EmitLossAndOutputDelta(writer, model, layers.Count, pass);
        for (int k = layers.Count; k >= 1; k--)
        {
            layers[k - 1].EmitBackwardStep(writer, pass, layerInputs[k - 1]);
        }
        if (pass.FusedSgd)
        {
            EmitFusedSgdUpdate(writer, layers, pass, layerInputs);
        }
        writer.WriteLine("return loss;");
    }

    /// <summary>
    /// Declares every layer's output buffer, then calls each layer's forward step in turn: hidden layers write to
    /// hidden1, hidden2, ..., the output layer to logits and <paramref name="output"/>. Returns what each layer read.
    /// </summary>
    private static string[] EmitForwardChain(IndentedWriter writer, NetworkModel model, List<LayerEmitter> layers, PassPlan pass, string output)
    {
        for (int k = 1; k < layers.Count; k++)
        {
            writer.WriteLine(pass.Declare($"hidden{k}", pass.Size(layers[k - 1].Layer.OutputSize)));
        }
        writer.WriteLine(pass.Declare("logits", pass.OutputsSize(model.OutputSize)));
        if (pass.IsMicroBatch)
        {
            writer.WriteLine(pass.Declare(output, pass.OutputsSize(model.OutputSize)));
        }
        var layerInputs = new string[layers.Count];
        string input = pass.NetworkInput;
        foreach (LayerEmitter layer in layers)
        {
            layerInputs[layer.Number - 1] = input;
            input = layer.EmitForwardStep(writer, pass, input, layer.IsOutput ? $"logits, {output}" : $"hidden{layer.Number}");
        }
        return layerInputs;
    }

    /// <summary>
    /// The loss of each sample into <c>loss</c>, and the output layer's delta dL/dz into <c>delta{last}</c>: from the
    /// built-in loss's ComputeLoss and OutputDelta, or from the network's own loss method (then through OutputDelta
    /// when the output has an activation).
    /// </summary>
    private static void EmitLossAndOutputDelta(IndentedWriter writer, NetworkModel model, int last, PassPlan pass)
    {
        bool custom = model.Loss == Loss.Custom;
        string delta = $"delta{last}";
        string deltaDeclaration = pass.Declare(delta, pass.OutputsSize(model.OutputSize));
        if (pass.IsMicroBatch)
        {
            writer.WriteLine(deltaDeclaration);
            writer.WriteLine("float loss = 0f;");
            using (writer.Block("for (int s = 0; s < count; s++)"))
            {
                writer.WriteLine("ReadOnlySpan<float> p = prediction.Slice(s * OutputSize, OutputSize);");
                writer.WriteLine("ReadOnlySpan<float> y = targets.Slice(s * OutputSize, OutputSize);");
                writer.WriteLine($"Span<float> d = {delta}.Slice(s * OutputSize, OutputSize);");
                writer.WriteLine(LossStatement(model, pass, "loss +=", "logits.Slice(s * OutputSize, OutputSize)", "p", "y", "d"));
                if (OutputDeltaStatement(model, pass, "p", "y", "d") is { } outputDelta)
                {
                    writer.WriteLine(outputDelta);
                }
            }
            return;
        }
        string backwardComment = pass.FusedSgd
            ? "// Backward, by the chain rule: delta{k}[j] = dL/dz[j] of layer k's unit j, from the output layer back to the first,\n// all of them from the weights the forward pass used, before any weight changes."
            : "// Backward, by the chain rule: delta{k}[j] = dL/dz[j] of layer k's unit j, from the output layer back to the first.";
        string loss = LossStatement(model, pass, "float loss =", "logits", "prediction", "target", delta);
        if (custom)
        {
            writer.WriteLine();
            writer.WriteLines(backwardComment);
            writer.WriteLine($"// The network's own loss gives L and dL/dprediction at once{(LossEmitter.CustomLossNeedsOutputDelta(model) ? "; OutputDelta turns the latter into dL/dz" : ", which is dL/dz for an identity output")}.");
            writer.WriteLine(deltaDeclaration);
            writer.WriteLine(loss);
        }
        else
        {
            writer.WriteLine(loss);
            writer.WriteLine();
            writer.WriteLines(backwardComment);
            writer.WriteLine(deltaDeclaration);
        }
        if (OutputDeltaStatement(model, pass, "prediction", "target", delta) is { } statement)
        {
            writer.WriteLine(statement);
        }
    }

    /// <summary>The statement that computes a sample's loss from its logits, prediction and target (a custom loss also writes dL/dprediction into the delta).</summary>
    private static string LossStatement(NetworkModel model, PassPlan pass, string assignment, string logits, string prediction, string target, string delta)
        => model.Loss == Loss.Custom
            ? $"{assignment} {model.Type.Name}.{model.CustomLossMethod}({prediction}, {target}, {delta});"
            : $"{assignment} {pass.Kernels}ComputeLoss({logits}, {prediction}, {target});";

    /// <summary>The statement that writes (or, after a custom loss, finishes) the output layer's delta dL/dz; null when a custom loss already gave it.</summary>
    private static string? OutputDeltaStatement(NetworkModel model, PassPlan pass, string prediction, string target, string delta)
        => model.Loss != Loss.Custom ? $"{pass.Kernels}OutputDelta({prediction}, {target}, {delta});"
            : LossEmitter.CustomLossNeedsOutputDelta(model) ? $"{pass.Kernels}OutputDelta({prediction}, {delta});"
            : null;

    /// <summary>The fused SGD step's end: nothing changes unless the loss and every delta are finite, then each layer's update.</summary>
    private static void EmitFusedSgdUpdate(IndentedWriter writer, List<LayerEmitter> layers, PassPlan pass, string[] layerInputs)
    {
        string deltas = string.Join(" || ", Enumerable.Range(1, layers.Count).Select(k => $"!{pass.Kernels}AllFinite(delta{k})"));
        writer.WriteLines($$"""

            // A loss or a delta that is not finite would spread NaN into every parameter it reaches: change nothing.
            if (!float.IsFinite(loss))
            {
                return loss;
            }
            if ({{deltas}})
            {
                return float.NaN;
            }

            // The step, theta -= learningRate * dL/dtheta, layer by layer; the gradient is never stored.
            """);
        for (int k = layers.Count; k >= 1; k--)
        {
            layers[k - 1].EmitSgdUpdateStep(writer, pass, layerInputs[k - 1]);
        }
    }
}
