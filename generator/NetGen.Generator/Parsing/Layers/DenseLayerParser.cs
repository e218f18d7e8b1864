namespace NetGen.Generator;

/// <summary>Reads <c>[Dense(units, activation, Dropout = p)]</c>.</summary>
internal sealed class DenseLayerParser : ILayerParser
{
    public string AttributeName => "NetGen.DenseAttribute";

    public LayerModel? Parse(LayerParsingContext context)
    {
        if (context.IntArgument(0) is not int units || context.IntArgument(1) is not int activationValue)
        {
            return null;
        }
        var activation = (Activation)activationValue;
        float dropout = context.Named("Dropout", 0f);
        context.CheckPositive(units, "The number of units", 0);
        context.CheckActivation(activation, 1);
        context.CheckDropout(dropout);
        if (!context.Input.IsVector)
        {
            context.ReportShape("Dense", "a vector", ": add [Flatten] before it, which reads it as a vector in PyTorch's order");
        }
        // Returned even when wrong: its output is a vector of the declared units, so the layers after it can be checked.
        return new DenseLayerModel(context.Input.Size, units, activation, dropout);
    }
}
