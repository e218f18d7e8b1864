namespace NetGen.Generator;

/// <summary>
/// For a network whose first layer is an embedding: the overloads that take token ids as ints, which is how a
/// tokenizer hands them over. They check each id exactly (an int id is never rounded) and run the float path.
/// </summary>
internal static class TokenOverloadsEmitter
{
    public static void Emit(IndentedWriter writer, NetworkModel model)
    {
        if (model.Layers[0] is not EmbeddingLayerModel embedding)
        {
            return;
        }
        string field = NetworkEmitter.ParametersField;
        writer.WriteLine("/// <summary>Computes the network's output for one text of InputSize token ids. Allocates nothing; safe to call from many threads at once.</summary>");
        writer.WriteLine($"/// <exception cref=\"ArgumentException\">A span's length is not InputSize or OutputSize, or an id is not from 0 to {embedding.Vocabulary - 1}.</exception>");
        writer.WriteLine($"public void Predict(ReadOnlySpan<int> tokens, Span<float> output) => Predict({field}, tokens, output);");
        writer.WriteLine();
        writer.WriteLine("/// <summary>Computes the output for one text of InputSize token ids with the given parameters (ParameterCount of them).</summary>");
        writer.WriteLine($"/// <exception cref=\"ArgumentException\">A span's length is not InputSize, OutputSize or ParameterCount, or an id is not from 0 to {embedding.Vocabulary - 1}.</exception>");
        using (writer.Block("public static void Predict(ReadOnlySpan<float> parameters, ReadOnlySpan<int> tokens, Span<float> output)"))
        {
            writer.WriteLine("global::NetGen.CompilerServices.ArgumentLength.Check(tokens.Length, InputSize, nameof(tokens));");
            writer.WriteLine("Span<float> input = stackalloc float[InputSize];");
            using (writer.Block("for (int p = 0; p < InputSize; p++)"))
            {
                writer.WriteLine($"global::NetGen.CompilerServices.TokenIds.Check(tokens[p], p, {embedding.Vocabulary}, nameof(tokens));");
                writer.WriteLine("input[p] = tokens[p];");
            }
            writer.WriteLine("Predict(parameters, input, output);");
        }
        writer.WriteLine();
    }
}
