using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests;

/// <summary>The diagnostics of [Embedding]: where it stands, its sizes, its padding id and its input's shape.</summary>
public class EmbeddingDiagnosticTests
{
    [Theory]
    [InlineData("[Input(8)] [Dense(4, Activation.ReLU)] [Embedding(100, 4)] [GlobalAveragePool] [Dense(1, Activation.Sigmoid)]", "Embedding(100, 4)",
        "Layer 2 is an [Embedding], which reads token ids from the network's input: make it the first layer, right after [Input(n)]")]
    [InlineData("[Input(8)] [Embedding(100, 4)] [Embedding(100, 4)] [GlobalAveragePool] [Dense(1, Activation.Sigmoid)]", "Embedding(100, 4)",
        "Layer 2 is an [Embedding], which reads token ids from the network's input: make it the first layer, right after [Input(n)]")]
    public void NG0030_EmbeddingNotFirst(string layers, string span, string message)
        => AssertOnly(layers, "NG0030", span, message, last: true);

    [Theory]
    [InlineData("PaddingIndex = 100", "PaddingIndex 100 of layer 1 is not a token id of its vocabulary of 100: use an id from 0 to 99, or leave PaddingIndex out for no padding id")]
    [InlineData("PaddingIndex = -1", "PaddingIndex -1 of layer 1 is not a token id of its vocabulary of 100: use an id from 0 to 99, or leave PaddingIndex out for no padding id")]
    [InlineData("PaddingIndex = 250", "PaddingIndex 250 of layer 1 is not a token id of its vocabulary of 100: use an id from 0 to 99, or leave PaddingIndex out for no padding id")]
    public void NG0031_PaddingIndexOutsideVocabulary(string padding, string message)
        => AssertOnly($"[Input(8)] [Embedding(100, 4, {padding})] [GlobalAveragePool] [Dense(1, Activation.Sigmoid)]", "NG0031", padding, message);

    [Theory]
    [InlineData("[Embedding(0, 4)]", "0", "The vocabulary size of layer 1 must be at least 1, but is 0")]
    [InlineData("[Embedding(-5, 4, PaddingIndex = 0)]", "-5", "The vocabulary size of layer 1 must be at least 1, but is -5")]
    [InlineData("[Embedding(100, 0)]", "0", "The number of dimensions of layer 1 must be at least 1, but is 0")]
    public void NG0006_a_vocabulary_or_dimension_count_below_1(string layer, string span, string message)
        => AssertOnly($"[Input(8)] {layer} [GlobalAveragePool] [Dense(1, Activation.Sigmoid)]", "NG0006", span, message);

    [Fact]
    public void NG0027_an_embedding_reads_a_vector_of_token_ids()
        => AssertOnly("[Input(8, 2)] [Embedding(100, 4)] [GlobalAveragePool] [Dense(1, Activation.Sigmoid)]", "NG0027", "Embedding(100, 4)",
            "Layer 1 (Embedding) reads a vector of token ids [n], but its input is a sequence [8, 2]: declare the input as [Input(n)], n token ids");

    [Fact]
    public void NG0027_a_dense_layer_right_after_an_embedding_needs_a_flatten_or_a_pooling()
        => AssertOnly("[Input(8)] [Embedding(100, 4)] [Dense(1, Activation.Sigmoid)]", "NG0027", "Dense(1, Activation.Sigmoid)",
            "Layer 2 (Dense) reads a vector, but its input is a sequence [8, 4]: add [Flatten] before it, which reads it as a vector in PyTorch's order");

    [Theory]
    [InlineData("[Input(200)] [Embedding(20000, 32, PaddingIndex = 0)] [GlobalAveragePool] [Dense(1, Activation.Sigmoid)]")]
    [InlineData("[Input(10)] [Embedding(50, 3)] [Flatten] [Dense(4, Activation.ReLU)] [Dense(1, Activation.Sigmoid)]")]
    [InlineData("[Embedding(50, 3, PaddingIndex = 49)] [Input(10)] [GlobalAveragePool] [Dense(1, Activation.Sigmoid)]")]
    public void Valid_embedding_networks_generate_code_that_compiles(string layers)
    {
        GeneratorRun run = Run(layers);
        run.AssertGeneratorDidNotThrow();
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        string source = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Contains("global::NetGen.LayerKind.Embedding", source);
    }

    [Fact]
    public void The_lookup_is_a_row_copy_and_the_mean_after_padding_reads_the_token_ids()
    {
        string source = Assert.Single(Run("[Input(20)] [Embedding(1000, 8, PaddingIndex = 0)] [GlobalAveragePool] [Dense(1, Activation.Sigmoid)]").GeneratedSources).SourceText.ToString();
        Assert.Contains("table.Slice(token * 8, 8).CopyTo(output.Slice(p * 8, 8));", source);
        Assert.Contains("<term>1: Embedding</term><description>[20] -> [20, 8]: weight [1000, 8] at 0..7999</description>", source);
        Assert.Contains("internal static void ForwardLayer2(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> tokens)", source);
        Assert.Contains("Kernels.ForwardLayer2(parameters, hidden1, hidden2, input);", source);
        // No product with the vocabulary anywhere in the forward pass: no loop runs over the 1000 rows.
        Assert.DoesNotContain("i < 1000", source);
    }

    private static GeneratorRun Run(string attributes) => GeneratorHarness.Run($$"""
        using NetGen;

        [Network(Loss = Loss.BinaryCrossEntropy)]
        {{attributes}}
        public partial class TextNet;
        """);

    private static void AssertOnly(string layers, string id, string span, string message, bool last = false)
    {
        GeneratorRun run = Run(layers);
        run.AssertGeneratorDidNotThrow();
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        string text = DiagnosticTests.SpanText(run, diagnostic);
        Assert.Equal(span, text);
        if (last)
        {
            // The later of the attributes that read alike: the one that is not first.
            string source = diagnostic.Location.SourceTree!.ToString();
            Assert.Equal(source.LastIndexOf(span, StringComparison.Ordinal), diagnostic.Location.SourceSpan.Start);
        }
        Assert.Equal(message, diagnostic.GetMessage());
        Assert.All(run.GeneratedSources, source => Assert.Contains("stand-in", source.SourceText.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }
}
