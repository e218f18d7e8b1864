using System.Globalization;

namespace NetGen.Generator;

/// <summary>
/// Emits a table lookup: the forward step copies the row of each token id, the backward step adds each position's delta
/// into its token's row (so a token repeated in one text gathers all its deltas), skipping the padding id, whose row
/// never receives a gradient. No one-hot product: the work is proportional to the tokens, not to the vocabulary.
/// </summary>
internal sealed class EmbeddingLayerEmitter : SampleLoopLayerEmitter
{
    /// <summary>sqrt(3): U(-sqrt 3, sqrt 3) has variance 1, as PyTorch's N(0, 1) initialization of an embedding.</summary>
    private const string UnitVarianceLimit = "1.7320508f";

    private readonly EmbeddingLayerModel _embedding;

    public EmbeddingLayerEmitter(EmbeddingLayerModel layer, int number, int parameterOffset, bool isOutput)
        : base(layer, number, parameterOffset, isOutput)
    {
        _embedding = layer;
    }

    private int Dimensions => _embedding.Dimensions;

    private int Vocabulary => _embedding.Vocabulary;

    private int TableSize => Vocabulary * Dimensions;

    private string TableName => $"Layer{Number}Weight";

    protected override string ForwardSummary
        => $"out[p, d] = W[input[p], d], the row of each of the {_embedding.Tokens} token ids in a table of {Vocabulary} rows of {Dimensions}"
           + (_embedding.HasPadding ? $"; {_embedding.PaddingIndex} is the padding id" : "") + ".";

    public override void EmitInitialization(IndentedWriter writer)
    {
        writer.WriteLine($"// Layer {Number}'s table: U(-sqrt 3, sqrt 3), the unit variance of PyTorch's N(0, 1){(_embedding.HasPadding ? "; the padding row stays zero, as PyTorch's" : "")}.");
        using (writer.Block($"for (int i = 0; i < {TableSize}; i++)"))
        {
            writer.WriteLine($"parameters[{NetworkEmitter.KernelsClass}.{TableName} + i] = random.NextSingle(-{UnitVarianceLimit}, {UnitVarianceLimit});");
        }
        if (_embedding.HasPadding)
        {
            writer.WriteLine($"parameters.Slice({NetworkEmitter.KernelsClass}.{TableName} + {_embedding.PaddingIndex * Dimensions}, {Dimensions}).Clear();");
        }
    }

    /// <summary>The statement that reads the token id at position p into <c>token</c>, throwing on anything but an id of the table.</summary>
    private string ReadToken => $"int token = global::NetGen.CompilerServices.TokenIds.ToIndex(input[p], p, {Vocabulary});";

    protected override void EmitForwardBody(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        writer.WriteLine($"ReadOnlySpan<float> table = parameters.Slice({TableName}, {TableSize});");
        using (writer.Block($"for (int p = 0; p < {_embedding.Tokens}; p++)"))
        {
            writer.WriteLine(ReadToken);
            writer.WriteLine($"table.Slice(token * {Dimensions}, {Dimensions}).CopyTo(output.Slice(p * {Dimensions}, {Dimensions}));");
        }
    }

    protected override void EmitBackwardBody(IndentedWriter writer, VectorKernelEmitter kernels, ParameterGradient parameterGradient, bool writeInputGradient)
    {
        if (parameterGradient == ParameterGradient.None)
        {
            return; // the first layer: token ids have no gradient
        }
        bool descend = parameterGradient == ParameterGradient.Descend;
        writer.WriteLine(descend
            ? $"Span<float> table = parameters.Slice({TableName}, {TableSize});"
            : $"Span<float> tableGradient = gradient.Slice({TableName}, {TableSize});");
        writer.WriteLine(descend
            ? "// Row by row, theta -= learningRate * delta: a repeated token's row takes each of its deltas in turn."
            : "// dL/dW[t] is the sum of the deltas of the positions holding token t: each position adds its delta into its token's row.");
        using (writer.Block($"for (int p = 0; p < {_embedding.Tokens}; p++)"))
        {
            writer.WriteLine(ReadToken);
            if (_embedding.HasPadding)
            {
                using (writer.Block($"if (token == {_embedding.PaddingIndex.ToString(CultureInfo.InvariantCulture)})"))
                {
                    writer.WriteLine("continue; // the padding row never receives a gradient");
                }
            }
            string scale = descend ? "-learningRate" : "1f";
            string destination = descend ? "table" : "tableGradient";
            writer.WriteLine($"{kernels.MultiplyAdd(Dimensions)}({scale}, ref Unsafe.AsRef(in delta[p * {Dimensions}]), ref {destination}[token * {Dimensions}]);");
        }
    }
}
