using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// A table lookup, as PyTorch's Embedding: the input [n] holds token ids, out[p, d] = W[input[p], d]. The output is a
/// sequence [n, dimensions]. <see cref="PaddingIndex"/> is the padding id, or -1 for none.
/// </summary>
internal sealed record EmbeddingLayerModel(Shape InputShape, int Vocabulary, int Dimensions, int PaddingIndex)
    : LayerModel(InputShape, Shape.Sequence(InputShape[0], Dimensions), Activation.Identity)
{
    public override LayerKind Kind => LayerKind.Embedding;

    /// <summary>The number of token ids the input holds.</summary>
    public int Tokens => InputShape[0];

    public bool HasPadding => PaddingIndex >= 0;

    public override EquatableArray<ParameterBlockModel> Blocks => new[]
    {
        new ParameterBlockModel("weight", ParameterRole.Embedding, new Shape(new[] { Vocabulary, Dimensions }.ToEquatableArray())),
    }.ToEquatableArray();

    /// <summary>A lookup copies rows: no arithmetic.</summary>
    public override long FlopsPerPrediction => 0;

    public override EquatableArray<int> Arguments
        => InputShapeArguments.Concat(new[] { Vocabulary, Dimensions, PaddingIndex }).ToEquatableArray();
}
