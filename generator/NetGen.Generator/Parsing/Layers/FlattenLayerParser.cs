namespace NetGen.Generator;

/// <summary>Reads <c>[Flatten]</c>.</summary>
internal sealed class FlattenLayerParser : ILayerParser
{
    public string AttributeName => "NetGen.FlattenAttribute";

    public LayerModel? Parse(LayerParsingContext context)
    {
        if (context.Input.IsVector)
        {
            context.ReportShape("Flatten", "an image or a sequence", ": the values are a vector already, remove [Flatten]");
            return null;
        }
        return new FlattenLayerModel(context.Input);
    }
}
