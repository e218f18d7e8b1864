namespace NetGen.Generator;

/// <summary>What a pass does once it has every layer's delta.</summary>
internal enum PassGradient
{
    /// <summary>Nothing: a prediction, with no backward pass.</summary>
    None,

    /// <summary>Adds dL/dtheta into <c>gradient</c> (AccumulateGradient, the micro-batch pass).</summary>
    Accumulate,

    /// <summary>Applies theta -= learningRate * dL/dtheta to the parameters without storing the gradient (SgdStep).</summary>
    FusedSgd,
}

/// <summary>
/// One pass through the network as the chaining code writes it: for one sample or for a micro-batch of <c>count</c>
/// samples, with or without dropout, for a prediction, a gradient or a fused SGD step. The network emitter's forward and
/// backward chains and each layer's steps (<see cref="LayerEmitter.EmitForwardStep"/>,
/// <see cref="LayerEmitter.EmitBackwardStep"/>) read it, so that every pass is written by the same code.
/// </summary>
internal sealed class PassPlan
{
    private PassPlan(string? count, bool withDropout, PassGradient gradient, bool workspace, bool packed = false)
    {
        Packed = packed;
        Count = count;
        WithDropout = withDropout;
        Gradient = gradient;
        Workspace = workspace;
    }

    /// <summary>Predict and Evaluate: one sample, forward only, no dropout.</summary>
    public static PassPlan Prediction(bool workspace) => new(null, withDropout: false, PassGradient.None, workspace);

    /// <summary>PredictPacked: <see cref="Prediction"/> from the layout PackForPrediction writes, where the layers that pack read their own form.</summary>
    public static PassPlan PackedPrediction(bool workspace) => new(null, withDropout: false, PassGradient.None, workspace, packed: true);

    /// <summary>AccumulateGradient (or, with <paramref name="fusedSgd"/>, SgdStep) on one sample.</summary>
    public static PassPlan Sample(bool withDropout, bool fusedSgd, bool workspace)
        => new(null, withDropout, fusedSgd ? PassGradient.FusedSgd : PassGradient.Accumulate, workspace);

    /// <summary>AccumulateMicroBatch: <c>count</c> samples, one row each, always drawing dropout masks where layers declare them.</summary>
    public static PassPlan MicroBatch(bool workspace) => new("count", withDropout: true, PassGradient.Accumulate, workspace);

    /// <summary>Whether the parameters are in the prediction layout of <see cref="LayerEmitter.PacksForPrediction"/>.</summary>
    public bool Packed { get; }

    /// <summary>The number of samples as C#: <c>count</c> in the micro-batch pass, null for one sample.</summary>
    public string? Count { get; }

    public bool IsMicroBatch => Count is not null;

    /// <summary>Whether layers declared with dropout drop units (masks drawn from <c>random</c>).</summary>
    public bool WithDropout { get; }

    public PassGradient Gradient { get; }

    public bool FusedSgd => Gradient == PassGradient.FusedSgd;

    /// <summary>Whether scratch buffers live in the per-thread workspace rather than on the stack.</summary>
    public bool Workspace { get; }

    /// <summary>
    /// How the pass names a kernel method: the micro-batch pass is written inside the kernels class and calls its
    /// methods by their own names; the per-sample passes are public members of the network and qualify them.
    /// </summary>
    public string Kernels => IsMicroBatch ? "" : NetworkEmitter.KernelsClass + ".";

    /// <summary>The network's input as the pass names it: <c>input</c>, or the micro-batch's rows <c>inputs</c>.</summary>
    public string NetworkInput => IsMicroBatch ? "inputs" : "input";

    /// <summary>The length of a buffer of <paramref name="floats"/> per sample: the number, or <c>count * number</c>.</summary>
    public string Size(int floats) => Count is null ? floats.ToString() : $"{Count} * {floats}";

    /// <summary>The length of a buffer that holds one output per sample (the output layer's z and delta).</summary>
    public string OutputsSize(int outputSize) => Count is null ? outputSize.ToString() : $"{Count} * OutputSize";

    /// <summary>The declaration of a scratch buffer: on the stack, or in the workspace.</summary>
    public string Declare(string name, string size) => Scratch.Declare(Workspace, name, size);
}
