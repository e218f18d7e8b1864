using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests;

/// <summary>The diagnostics of shaped layers: each impossible shape, with its id, message and location.</summary>
public class ShapeDiagnosticTests
{
    [Theory]
    [InlineData("[Input(1, 8, 8)] [Conv2D(4, 3, Activation.ReLU)] [Dense(10, Activation.Softmax)]", "Dense(10, Activation.Softmax)",
        "Layer 2 (Dense) reads a vector, but its input is an image [4, 6, 6]: add [Flatten] before it, which reads it as a vector in PyTorch's order")]
    [InlineData("[Input(64)] [Conv2D(4, 3, Activation.ReLU)] [Flatten] [Dense(10, Activation.Softmax)]", "Conv2D(4, 3, Activation.ReLU)",
        "Layer 1 (Conv2D) reads an image [channels, height, width], but its input is a vector [64]: declare the input as [Input(channels, height, width)]")]
    [InlineData("[Input(1, 8, 8)] [Flatten] [MaxPool2D(2)] [Dense(10, Activation.Softmax)]", "MaxPool2D(2)",
        "Layer 2 (MaxPool2D) reads an image [channels, height, width], but its input is a vector [64]: pool before [Flatten], not after")]
    [InlineData("[Input(10, 4)] [AveragePool2D(2)] [Flatten] [Dense(10, Activation.Softmax)]", "AveragePool2D(2)",
        "Layer 1 (AveragePool2D) reads an image [channels, height, width], but its input is a sequence [10, 4]")]
    [InlineData("[Input(12)] [GlobalAveragePool] [Dense(10, Activation.Softmax)]", "GlobalAveragePool",
        "Layer 1 (GlobalAveragePool) reads an image or a sequence, but its input is a vector [12]: there is only one position to average over")]
    [InlineData("[Input(12)] [Flatten] [Dense(10, Activation.Softmax)]", "Flatten",
        "Layer 1 (Flatten) reads an image or a sequence, but its input is a vector [12]: the values are a vector already, remove [Flatten]")]
    [InlineData("[Input(5, 3)] [Dense(10, Activation.Softmax)]", "Dense(10, Activation.Softmax)",
        "Layer 1 (Dense) reads a vector, but its input is a sequence [5, 3]: add [Flatten] before it, which reads it as a vector in PyTorch's order")]
    public void NG0027_LayerNeedsOtherShape(string layers, string span, string message)
        => AssertOnly(layers, "NG0027", span, message);

    [Theory]
    [InlineData("[Input(1, 4, 6)] [Conv2D(4, 5, Activation.ReLU)] [Flatten] [Dense(2, Activation.Softmax)]", "5",
        "Layer 1's kernel of 5x5 is larger than its input of 4x6: use a smaller kernel, or Padding = Padding.Same")]
    [InlineData("[Input(1, 8, 8)] [Conv2D(2, 3, Activation.ReLU)] [MaxPool2D(7)] [Flatten] [Dense(2, Activation.Softmax)]", "7",
        "Layer 2's window of 7x7 is larger than its input of 6x6: use a smaller window")]
    [InlineData("[Input(2, 3, 9)] [AveragePool2D(4)] [Flatten] [Dense(2, Activation.Softmax)]", "4",
        "Layer 1's window of 4x4 is larger than its input of 3x9: use a smaller window")]
    public void NG0028_WindowLargerThanInput(string layers, string span, string message)
        => AssertOnly(layers, "NG0028", span, message);

    [Fact]
    public void A_kernel_larger_than_the_input_is_fine_with_same_padding()
    {
        GeneratorRun run = Run("[Input(1, 4, 4)] [Conv2D(4, 5, Activation.ReLU, Padding = Padding.Same)] [Flatten] [Dense(2, Activation.Softmax)]");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.GeneratedSources);
    }

    [Fact]
    public void NG0029_OutputLayerNotDense()
        => AssertOnly("[Input(1, 8, 8)] [Conv2D(2, 3, Activation.ReLU)] [GlobalAveragePool]", "NG0029", "GlobalAveragePool",
            "Layer 2 (GlobalAveragePool) is the last layer, but NetGen's losses read the output of a [Dense] layer: end the network with [Flatten] if needed, then [Dense(outputs, activation)]");

    [Theory]
    [InlineData("[Input(0, 8, 8)]", "0", "The number of input channels must be at least 1, but is 0")]
    [InlineData("[Input(1, 8, -2)]", "-2", "The input width must be at least 1, but is -2")]
    [InlineData("[Input(0, 4)]", "0", "The number of input steps must be at least 1, but is 0")]
    public void NG0006_an_image_or_sequence_input_of_zero_size(string input, string span, string message)
    {
        GeneratorRun run = Run(input + " [Flatten] [Dense(2, Activation.Softmax)]");
        run.AssertGeneratorDidNotThrow();
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0006", diagnostic.Id);
        Assert.Equal(span, DiagnosticTests.SpanText(run, diagnostic));
        Assert.Equal(message, diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("[Conv2D(0, 3, Activation.ReLU)]", "0", "The number of filters of layer 1 must be at least 1, but is 0")]
    [InlineData("[Conv2D(4, 0, Activation.ReLU)]", "0", "The kernel size of layer 1 must be at least 1, but is 0")]
    [InlineData("[Conv2D(4, 3, Activation.ReLU, Stride = 0)]", "Stride = 0", "The stride of layer 1 must be at least 1, but is 0")]
    [InlineData("[MaxPool2D(0)]", "0", "The window size of layer 1 must be at least 1, but is 0")]
    [InlineData("[AveragePool2D(2, Stride = -1)]", "Stride = -1", "The stride of layer 1 must be at least 1, but is -1")]
    public void NG0006_a_filter_count_kernel_stride_or_window_below_1(string layer, string span, string message)
    {
        GeneratorRun run = Run("[Input(1, 8, 8)] " + layer + " [Flatten] [Dense(2, Activation.Softmax)]");
        run.AssertGeneratorDidNotThrow();
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0006", diagnostic.Id);
        Assert.Equal(span, DiagnosticTests.SpanText(run, diagnostic));
        Assert.Equal(message, diagnostic.GetMessage());
        Assert.All(run.GeneratedSources, source => Assert.Contains("stand-in", source.SourceText.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_class_documentation_shows_every_layers_shapes_and_blocks()
    {
        GeneratorRun run = Run("[Input(1, 28, 28)] [Conv2D(8, 3, Activation.ReLU, Padding = Padding.Same)] [MaxPool2D(2)] [Flatten] [Dense(10, Activation.Softmax)]");
        string source = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Contains("A neural network generated by NetGen: image input [1, 28, 28], 4 layers, 10 outputs, trained on CrossEntropy.", source);
        Assert.Contains("<term>1: Conv2D</term><description>[1, 28, 28] -> [8, 28, 28], ReLU: weight [8, 1, 3, 3] at 0..71, bias [8] at 72..79</description>", source);
        Assert.Contains("<term>2: MaxPool2D</term><description>[8, 28, 28] -> [8, 14, 14], no parameters</description>", source);
        Assert.Contains("<term>3: Flatten</term><description>[8, 14, 14] -> [1568], no parameters</description>", source);
    }

    private static GeneratorRun Run(string attributes) => GeneratorHarness.Run($$"""
        using NetGen;

        [Network(Loss = Loss.CrossEntropy)]
        {{attributes}}
        public partial class ShapedNet;
        """);

    private static void AssertOnly(string layers, string id, string span, string message)
    {
        GeneratorRun run = Run(layers);
        run.AssertGeneratorDidNotThrow();
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(span, DiagnosticTests.SpanText(run, diagnostic));
        Assert.Equal(message, diagnostic.GetMessage());
        Assert.All(run.GeneratedSources, source => Assert.Contains("stand-in", source.SourceText.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }
}
