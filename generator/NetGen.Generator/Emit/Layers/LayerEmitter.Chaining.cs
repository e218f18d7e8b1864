namespace NetGen.Generator;

/// <summary>
/// A layer's part of each pass the network emitter chains together (<see cref="PassPlan"/>): the call of its forward
/// method and its own dropout, and in the backward chain its own dropout mask and activation derivative, the call of its
/// backward method and, in a fused SGD step, of its update. The network emitter only passes each layer what the one
/// before it wrote.
/// </summary>
internal abstract partial class LayerEmitter
{
    /// <summary>What the next layer reads of this layer's output in <paramref name="pass"/>: <c>hidden{k}</c>, or <c>dropped{k}</c> where the pass drops units.</summary>
    public string OutputAsRead(PassPlan pass) => pass.WithDropout && Layer.DropoutRate > 0f ? $"dropped{Number}" : $"hidden{Number}";

    /// <summary>
    /// Calls the layer's forward method on <paramref name="input"/> into <paramref name="output"/> (<c>hidden{k}</c>, or
    /// <c>logits, prediction</c> for the output layer), then draws its dropout mask when the pass drops units. Returns
    /// what the next layer reads.
    /// </summary>
    public string EmitForwardStep(IndentedWriter writer, PassPlan pass, string input, string output)
    {
        string method = pass.IsMicroBatch ? ForwardBatchName : pass.Packed && PacksForPrediction ? PackedForwardName : ForwardName;
        string count = pass.IsMicroBatch ? ", " + pass.Count : "";
        if (SavedArgument(pass).Length > 0)
        {
            writer.WriteLine(pass.Declare($"saved{Number}", pass.Size(SavedFloats)));
        }
        writer.WriteLine($"{pass.Kernels}{method}(parameters, {input}, {output}{count}{SavedArgument(pass)}{NetworkInputArgument(pass)});");
        if (pass.WithDropout)
        {
            EmitDropout(writer, pass.Count, pass.Workspace);
        }
        return OutputAsRead(pass);
    }

    /// <summary>
    /// The layer's part of the backward chain, once <c>delta{k}</c> holds dL/d(its output as the next layer read it),
    /// or dL/dz for the output layer, which the loss wrote. It turns that into dL/dz through its own dropout mask and
    /// activation derivative, then calls its backward method on <paramref name="input"/> (what it read going forward):
    /// it adds dL/dtheta into the gradient (not in a fused SGD step, which calls only the input gradient) and, except
    /// for the first layer, writes dL/d(input) into <c>delta{k-1}</c>.
    /// </summary>
    public void EmitBackwardStep(IndentedWriter writer, PassPlan pass, string input)
    {
        int k = Number;
        if (!IsOutput)
        {
            EmitOutputGradientToDelta(writer, pass.Count, pass.WithDropout, OutputAsRead(pass));
        }
        if (IsFirst)
        {
            if (!pass.FusedSgd && HasParameters)
            {
                writer.WriteLine($"{pass.Kernels}{BackwardCall(pass, input)};");
            }
            return;
        }
        writer.WriteLine(pass.Declare($"delta{k - 1}", pass.Size(Layer.InputSize)));
        writer.WriteLine(pass.FusedSgd
            ? $"{pass.Kernels}{InputGradientName}({InputGradientArguments(input, $"delta{k}", $"delta{k - 1}")}{SavedArgument(pass)}{NetworkInputArgument(pass)});"
            : $"{pass.Kernels}{BackwardCall(pass, input)};");
    }

    /// <summary>In a fused SGD step, once every delta is known: theta -= learningRate * dL/dtheta for the layer's parameters.</summary>
    public void EmitSgdUpdateStep(IndentedWriter writer, PassPlan pass, string input)
    {
        if (HasParameters)
        {
            writer.WriteLine($"{pass.Kernels}{SgdUpdateName}(parameters, {input}, delta{Number}, learningRate{SavedArgument(pass)});");
        }
    }

    /// <summary>
    /// The call of the backward method: <c>(parameters, input, delta, gradient[, inputGradient][, count, overwrite])</c>,
    /// and the network's input after them for a layer that reads it and is not the first (whose input it already is).
    /// </summary>
    private string BackwardCall(PassPlan pass, string input)
    {
        string method = pass.IsMicroBatch ? BackwardBatchName : BackwardName;
        string inputGradient = IsFirst ? "" : $", delta{Number - 1}";
        string count = pass.IsMicroBatch ? $", {pass.Count}, overwrite" : "";
        string networkInput = IsFirst ? "" : NetworkInputArgument(pass);
        return $"{method}(parameters, {input}, delta{Number}, gradient{inputGradient}{count}{SavedArgument(pass)}{networkInput})";
    }

    /// <summary>In a training pass, <c>saved{k}</c> as the argument after the others, for a layer that keeps state from its forward step for its backward step (<see cref="SavedFloats"/>); else nothing.</summary>
    private string SavedArgument(PassPlan pass) => SavedFloats > 0 && pass.Gradient != PassGradient.None ? $", saved{Number}" : "";

    /// <summary>The network's input as a last argument, for a layer that reads it (<see cref="ReadsNetworkInput"/>); else nothing.</summary>
    private string NetworkInputArgument(PassPlan pass) => ReadsNetworkInput ? ", " + pass.NetworkInput : "";
}
