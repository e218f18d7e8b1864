namespace NetGen.Generator;

/// <summary>A fully connected layer: z = W x + b with W of <c>Units x Inputs</c>, row-major, then a = f(z).</summary>
internal sealed record DenseLayerModel(int Inputs, int Units, Activation Activation, float Dropout = 0f)
    : LayerModel(Shape.Vector(Inputs), Shape.Vector(Units), Activation)
{
    public override LayerKind Kind => LayerKind.Dense;

    public override float DropoutRate => Dropout;

    public int WeightCount => Inputs * Units;

    public override EquatableArray<ParameterBlockModel> Blocks => new[]
    {
        new ParameterBlockModel("weight", ParameterRole.Weight, Shape.Sequence(Units, Inputs)),
        new ParameterBlockModel("bias", ParameterRole.Bias, Shape.Vector(Units)),
    }.ToEquatableArray();

    public override long FlopsPerPrediction => 2L * Inputs * Units;
}
