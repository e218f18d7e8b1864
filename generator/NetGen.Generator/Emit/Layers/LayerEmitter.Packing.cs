namespace NetGen.Generator;

/// <summary>
/// A layer's part in the prediction layout (PackForPrediction and PredictPacked): a layer whose weights stream from
/// the L2 cache at every prediction may store them in another order there, one the processor reads as a single stream.
/// The layout only permutes the floats inside the layer's own blocks, so every other layer reads the packed vector as
/// it reads the parameters.
/// </summary>
internal abstract partial class LayerEmitter
{
    /// <summary>Whether PackForPrediction writes this layer's weights in another order, which <see cref="PackedForwardName"/> reads.</summary>
    public virtual bool PacksForPrediction => false;

    /// <summary>The forward method over the prediction layout.</summary>
    public string PackedForwardName => $"ForwardLayer{Number}Packed";

    /// <summary>
    /// Statements in PackForPrediction, after <c>parameters</c> has been copied into <c>packed</c>, that rewrite this
    /// layer's blocks in <c>packed</c> into the prediction layout.
    /// </summary>
    public virtual void EmitPacking(IndentedWriter writer)
    {
    }

    /// <summary>
    /// The forward method over the prediction layout, in the kernels class: the same arithmetic as the forward method,
    /// in the same order, so that PredictPacked gives Predict's bits.
    /// </summary>
    public virtual void EmitPackedForward(IndentedWriter writer, VectorKernelEmitter kernels)
    {
    }
}
