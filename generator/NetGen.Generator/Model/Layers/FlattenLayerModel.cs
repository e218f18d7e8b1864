namespace NetGen.Generator;

/// <summary>An image or a sequence read as one vector in row-major order, as torch.flatten: no arithmetic at all.</summary>
internal sealed record FlattenLayerModel(Shape InputShape)
    : LayerModel(InputShape, Shape.Vector(InputShape.Size), Activation.Identity)
{
    public override LayerKind Kind => LayerKind.Flatten;

    public override EquatableArray<ParameterBlockModel> Blocks => EquatableArray<ParameterBlockModel>.Empty;

    public override long FlopsPerPrediction => 0;

    public override EquatableArray<int> Arguments => InputShapeArguments.ToEquatableArray();
}
