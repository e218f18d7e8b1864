namespace NetGen.Generator;

/// <summary>
/// The mean over every position: an image [C, H, W] becomes [C] (the mean of each channel), a sequence
/// [steps, features] becomes [features] (the mean of each feature over the steps). Right after an Embedding with a
/// padding id, <see cref="PaddingIndex"/> is that id and the mean is over the positions whose token is not padding;
/// otherwise it is -1.
/// </summary>
internal sealed record GlobalAveragePoolLayerModel(Shape InputShape, int PaddingIndex = -1)
    : LayerModel(InputShape, Shape.Vector(InputShape.IsImage ? InputShape[0] : InputShape[InputShape.Rank - 1]), Activation.Identity)
{
    public override LayerKind Kind => LayerKind.GlobalAveragePool;

    /// <summary>How many values each output averages.</summary>
    public int Positions => InputSize / OutputSize;

    /// <summary>Whether the mean leaves out the positions of padding tokens, which it reads from the network's input.</summary>
    public bool SkipsPadding => PaddingIndex >= 0;

    public override EquatableArray<ParameterBlockModel> Blocks => EquatableArray<ParameterBlockModel>.Empty;

    public override long FlopsPerPrediction => InputSize;

    public override EquatableArray<int> Arguments => InputShapeArguments.ToEquatableArray();
}
