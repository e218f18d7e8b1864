using System.Globalization;

namespace NetGen.Generator;

/// <summary>Reads <c>[Embedding(vocabulary, dimensions, PaddingIndex = p)]</c>.</summary>
internal sealed class EmbeddingLayerParser : ILayerParser
{
    public string AttributeName => "NetGen.EmbeddingAttribute";

    public LayerModel? Parse(LayerParsingContext context)
    {
        if (context.IntArgument(0) is not int vocabulary || context.IntArgument(1) is not int dimensions)
        {
            return null;
        }
        string layer = context.LayerNumber.ToString(CultureInfo.InvariantCulture);
        if (context.LayerNumber != 1)
        {
            context.Report(DiagnosticDescriptors.EmbeddingNotFirst, -1, null, layer);
            return null;
        }
        bool valid = context.CheckPositive(vocabulary, "The vocabulary size", 0);
        valid &= context.CheckPositive(dimensions, "The number of dimensions", 1);
        if (!context.Input.IsVector)
        {
            context.ReportShape("Embedding", "a vector of token ids [n]", ": declare the input as [Input(n)], n token ids");
            return null;
        }
        int paddingIndex = -1;
        foreach (var named in context.Attribute.NamedArguments)
        {
            if (named.Key == "PaddingIndex" && named.Value.Value is int declared)
            {
                paddingIndex = declared;
                if (valid && (declared < 0 || declared >= vocabulary))
                {
                    context.Report(DiagnosticDescriptors.PaddingIndexOutsideVocabulary, -1, "PaddingIndex",
                        declared.ToString(CultureInfo.InvariantCulture), layer, vocabulary.ToString(CultureInfo.InvariantCulture), (vocabulary - 1).ToString(CultureInfo.InvariantCulture));
                    valid = false;
                }
            }
        }
        return valid ? new EmbeddingLayerModel(context.Input, vocabulary, dimensions, paddingIndex) : null;
    }
}
