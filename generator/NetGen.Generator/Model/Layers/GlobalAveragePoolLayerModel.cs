namespace NetGen.Generator;

/// <summary>
/// The mean over every position: an image [C, H, W] becomes [C] (the mean of each channel), a sequence
/// [steps, features] becomes [features] (the mean of each feature over the steps).
/// </summary>
internal sealed record GlobalAveragePoolLayerModel(Shape InputShape)
    : LayerModel(InputShape, Shape.Vector(InputShape.IsImage ? InputShape[0] : InputShape[InputShape.Rank - 1]), Activation.Identity)
{
    public override LayerKind Kind => LayerKind.GlobalAveragePool;

    /// <summary>How many values each output averages.</summary>
    public int Positions => InputSize / OutputSize;

    public override EquatableArray<ParameterBlockModel> Blocks => EquatableArray<ParameterBlockModel>.Empty;

    public override long FlopsPerPrediction => InputSize;

    public override EquatableArray<int> Arguments => InputShapeArguments.ToEquatableArray();
}
