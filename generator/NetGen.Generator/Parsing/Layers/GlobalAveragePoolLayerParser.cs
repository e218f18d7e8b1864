namespace NetGen.Generator;

/// <summary>Reads <c>[GlobalAveragePool]</c>.</summary>
internal sealed class GlobalAveragePoolLayerParser : ILayerParser
{
    public string AttributeName => "NetGen.GlobalAveragePoolAttribute";

    public LayerModel? Parse(LayerParsingContext context)
    {
        if (context.Input.IsVector)
        {
            context.ReportShape("GlobalAveragePool", "an image or a sequence", ": there is only one position to average over");
            return null;
        }
        // Right after an embedding with a padding id, the mean leaves the padding positions out.
        return new GlobalAveragePoolLayerModel(context.Input, context.Previous is EmbeddingLayerModel { HasPadding: true } embedding ? embedding.PaddingIndex : -1);
    }
}
