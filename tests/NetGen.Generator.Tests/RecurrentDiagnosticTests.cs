using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests;

/// <summary>The diagnostics of recurrent layers (SimpleRnn, Lstm, Gru), and which recurrent networks get the streaming members.</summary>
public class RecurrentDiagnosticTests
{
    [Theory]
    [InlineData("Activation.Sigmoid", "Layer 1 (SimpleRnn) uses Activation.Sigmoid, but a recurrent layer's nonlinearity is Activation.Tanh or Activation.ReLU, as PyTorch's RNN allows")]
    [InlineData("Activation.Identity", "Layer 1 (SimpleRnn) uses Activation.Identity, but a recurrent layer's nonlinearity is Activation.Tanh or Activation.ReLU, as PyTorch's RNN allows")]
    [InlineData("(Activation)42", "Layer 1 (SimpleRnn) uses (Activation)42, but a recurrent layer's nonlinearity is Activation.Tanh or Activation.ReLU, as PyTorch's RNN allows")]
    public void NG0032_RecurrentActivationNotSupported(string activation, string message)
        => AssertOnly($"[Input(5, 3)] [SimpleRnn(4, {activation})] [Dense(2, Activation.Softmax)]", "NG0032", activation, message);

    [Theory]
    [InlineData("[Input(1, 28, 28)] [Lstm(8)] [Dense(10, Activation.Softmax)]", "Lstm(8)",
        "Layer 1 (Lstm) reads a sequence [steps, features], but its input is an image [1, 28, 28]: a recurrent layer reads one row per step; to read an image's rows, declare the input as [Input(height, width)]")]
    [InlineData("[Input(1, 8, 8)] [Conv2D(2, 3, Activation.ReLU)] [Gru(4)] [Dense(10, Activation.Softmax)]", "Gru(4)",
        "Layer 2 (Gru) reads a sequence [steps, features], but its input is an image [2, 6, 6]: a recurrent layer reads one row per step; to read an image's rows, declare the input as [Input(height, width)]")]
    [InlineData("[Input(12)] [SimpleRnn(4, Activation.Tanh)] [Dense(10, Activation.Softmax)]", "SimpleRnn(4, Activation.Tanh)",
        "Layer 1 (SimpleRnn) reads a sequence [steps, features], but its input is a vector [12]: declare the input as [Input(steps, features)], one row of features per step")]
    [InlineData("[Input(6, 3)] [Lstm(8)] [Gru(4)] [Dense(10, Activation.Softmax)]", "Gru(4)",
        "Layer 2 (Gru) reads a sequence [steps, features], but its input is a vector [8]: give the recurrent layer before it ReturnSequences = true, so that it writes every step")]
    [InlineData("[Input(6, 3)] [Lstm(8, ReturnSequences = true)] [Dense(10, Activation.Softmax)]", "Dense(10, Activation.Softmax)",
        "Layer 2 (Dense) reads a vector, but its input is a sequence [6, 8]: add [Flatten] before it, which reads it as a vector in PyTorch's order")]
    public void NG0027_a_recurrent_layer_reads_a_sequence_and_a_dense_layer_after_a_sequence_needs_Flatten(string layers, string span, string message)
        => AssertOnly(layers, "NG0027", span, message);

    [Theory]
    [InlineData("[SimpleRnn(0, Activation.Tanh)]")]
    [InlineData("[Lstm(0)]")]
    [InlineData("[Gru(-3)]")]
    public void NG0006_units_below_1(string layer)
    {
        GeneratorRun run = Run("[Input(5, 3)] " + layer + " [Dense(2, Activation.Softmax)]");
        run.AssertGeneratorDidNotThrow();
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0006", diagnostic.Id);
        Assert.StartsWith("The number of units of layer 1 must be at least 1", diagnostic.GetMessage());
    }

    [Fact]
    public void NG0016_a_long_sequence_whose_backward_pass_does_not_fit_the_stack()
    {
        // 200 steps of 256 gate gradients: 205 KB on the stack.
        GeneratorRun run = Run("[Input(200, 64)] [Lstm(64)] [Dense(10, Activation.Softmax)]");
        run.AssertGeneratorDidNotThrow();
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0016", diagnostic.Id);
    }

    [Fact]
    public void A_long_sequence_keeps_its_states_and_gates_in_the_workspace()
    {
        // 100 steps: the states and gates (253 KB) go to the workspace, the gate gradients (102 KB) fit the stack.
        GeneratorRun run = Run("[Input(100, 64)] [Lstm(64)] [Dense(10, Activation.Softmax)]");
        run.AssertGeneratorSilent();
        Assert.Empty(run.DiagnosticsInGeneratedFiles);
        Assert.Contains(run.GeneratedSources, s => s.SourceText.ToString().Contains("RentWorkspace()"));
    }

    [Theory]
    [InlineData("public struct StreamState { }", "StreamState")]
    [InlineData("public void Step() { }", "Step")]
    public void NG0014_a_streaming_network_declares_StreamState_and_Step(string member, string name)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;

            [Network]
            [Input(5, 3)]
            [Gru(4)]
            [Dense(1)]
            public partial class TakenNet
            {
                {{member}}
            }
            """);
        run.AssertGeneratorDidNotThrow();
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0014", diagnostic.Id);
        Assert.Equal($"'TakenNet' already declares a member named '{name}', which NetGen generates: rename it", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("[Input(4)] [Dense(1)]")]
    [InlineData("[Input(5, 3)] [Gru(4, ReturnSequences = true)] [Flatten] [Dense(1)]")]
    public void A_network_that_does_not_stream_may_declare_Step(string layers)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;

            [Network]
            {{layers}}
            public partial class StepperNet
            {
                public int Step(int n) => n + 1;
            }
            """);
        run.AssertGeneratorDidNotThrow();
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.DoesNotContain("StreamState", Assert.Single(run.GeneratedSources).SourceText.ToString());
    }

    [Fact]
    public void The_issues_network_compiles_with_its_shapes_and_blocks_documented()
    {
        GeneratorRun run = Run("[Input(28, 28)] [Lstm(64, ReturnSequences = true)] [Gru(32)] [Dense(10, Activation.Softmax)]");
        run.AssertGeneratorDidNotThrow();
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        string source = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Contains("<term>1: Lstm</term><description>[28, 28] -> [28, 64]: weight_ih [256, 28] at 0..7167, weight_hh [256, 64] at 7168..23551, bias_ih [256] at 23552..23807, bias_hh [256] at 23808..24063</description>", source);
        Assert.Contains("<term>2: Gru</term><description>[28, 64] -> [32]", source);
        Assert.Contains("public struct StreamState", source);
    }

    private static GeneratorRun Run(string attributes) => GeneratorHarness.Run($$"""
        using NetGen;

        [Network(Loss = Loss.CrossEntropy)]
        {{attributes}}
        public partial class SequenceNet;
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
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }
}
