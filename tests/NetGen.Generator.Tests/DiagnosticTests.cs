using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests;

/// <summary>
/// One test (or theory) per diagnostic: the declaration that triggers it, its id, severity, message and the exact
/// source text it points at; and, for an error, that nothing is generated for the network, so no error can
/// appear in a generated file.
/// </summary>
public class DiagnosticTests
{
    [Fact]
    public void NG0001_NotPartial()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            [Network]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public class PlainNet { }
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0001", DiagnosticSeverity.Error, "PlainNet");
        Assert.Equal("The network class 'PlainNet' must be declared partial so that NetGen can generate its other part", diagnostic.GetMessage());
        AssertNothingGenerated(run);
    }

    [Theory]
    [InlineData("public static partial class StaticNet;", "StaticNet", "it is static, and a network is an object that holds its parameters")]
    [InlineData("public partial class GenericNet<T>;", "GenericNet", "it is generic, and a network's sizes are fixed by its declaration")]
    [InlineData("public partial record RecordNet;", "RecordNet", "it is a record; NetGen generates networks into plain classes")]
    public void NG0002_UnsupportedType(string declaration, string name, string problem)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;

            [Network]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            {{declaration}}
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0002", DiagnosticSeverity.Error, name);
        Assert.Equal($"'{name}' cannot be a network: {problem}", diagnostic.GetMessage());
        AssertNothingGenerated(run);
    }

    [Fact]
    public void NG0002_Struct()
    {
        // [Network] is AttributeUsage(Class): on a struct the compiler reports CS0592 and NetGen says why it cannot help.
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            [Network]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial struct StructNet;
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0002", DiagnosticSeverity.Error, "StructNet", allowCompilerErrors: true);
        Assert.Equal("'StructNet' cannot be a network: it is a struct; NetGen generates networks into classes", diagnostic.GetMessage());
        Assert.Contains(run.CompilationDiagnostics, d => d.Id == "CS0592");
        AssertNothingGenerated(run);
    }

    [Theory]
    [InlineData("public class Outer", "Outer", "is not partial: declare it partial too")]
    [InlineData("public partial class Outer<T>", "Outer", "is generic")]
    [InlineData("public partial class Outer { public class Middle", "Middle", "is not partial: declare it partial too")]
    public void NG0003_UnsupportedContainingType(string outerDeclaration, string culprit, string problem)
    {
        int openBraces = outerDeclaration.Count(c => c == '{') + 1;
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;

            {{outerDeclaration}}
            {
                [Network]
                [Input(2)]
                [Dense(1, Activation.Sigmoid)]
                public partial class InnerNet;
            {{new string('}', openBraces)}}
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0003", DiagnosticSeverity.Error, "InnerNet");
        Assert.Equal($"'InnerNet' is nested in '{culprit}', which {problem}", diagnostic.GetMessage());
        AssertNothingGenerated(run);
    }

    [Fact]
    public void NG0004_MissingInput()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            namespace Samples;

            [Network]
            [Dense(3, Activation.Tanh)]
            [Dense(1, Activation.Sigmoid)]
            public partial class NoInputNet;
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0004", DiagnosticSeverity.Error, "NoInputNet");
        Assert.Equal("The network 'NoInputNet' has no [Input(size)] attribute: declare the size of its input before the layers", diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Fact]
    public void NG0005_NoLayers()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            [Network(Loss = Loss.MeanSquaredError)]
            [Input(2)]
            public partial class EmptyNet;
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0005", DiagnosticSeverity.Error, "EmptyNet");
        Assert.Equal("The network 'EmptyNet' has no layers: add at least one layer attribute such as [Dense(1, Activation.Sigmoid)] after [Input]", diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Theory]
    [InlineData("[Input(0)]", "[Dense(1, Activation.Sigmoid)]", "0", "The input size must be at least 1, but is 0")]
    [InlineData("[Input(-4)]", "[Dense(1, Activation.Sigmoid)]", "-4", "The input size must be at least 1, but is -4")]
    [InlineData("[Input(2)]", "[Dense(0, Activation.Sigmoid)]", "0", "The number of units of layer 1 must be at least 1, but is 0")]
    [InlineData("[Input(2)]", "[Dense(3, Activation.Tanh)] [Dense(units: -1, activation: Activation.Sigmoid)]", "units: -1", "The number of units of layer 2 must be at least 1, but is -1")]
    [InlineData("[Input(2)]", "[Dense(3, Activation.Tanh)] [Dense(activation: Activation.Sigmoid, units: 0)]", "units: 0", "The number of units of layer 2 must be at least 1, but is 0")]
    public void NG0006_SizeNotPositive(string input, string layers, string spanText, string message)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;

            [Network]
            {{input}}
            {{layers}}
            public partial class SizedNet;
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0006", DiagnosticSeverity.Error, spanText);
        Assert.Equal(message, diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Theory]
    [InlineData("[Dense(1, (Activation)42)]", "(Activation)42", "(Activation)42")]
    [InlineData("[Dense(1, activation: (Activation)(-1))]", "activation: (Activation)(-1)", "(Activation)-1")]
    public void NG0007_UndefinedActivation(string layer, string spanText, string value)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;

            [Network]
            [Input(2)]
            {{layer}}
            public partial class OddNet;
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0007", DiagnosticSeverity.Error, spanText);
        Assert.Equal($"{value} is not a defined Activation: use one of Identity, Step, Sigmoid, Tanh, ReLU or Softmax", diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Fact]
    public void NG0007_PointsAtAPositionalArgumentAfterANamedOne()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            [Network]
            [Input(2)]
            [Dense(units: 1, (Activation)42)]
            public partial class OddNet;
            """);

        AssertReported(run, "NG0007", DiagnosticSeverity.Error, "(Activation)42");
    }

    [Fact]
    public void NG0008_UndefinedLoss()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            [Network(UnrollThreshold = 8, Loss = (Loss)7)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class LossyNet;
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0008", DiagnosticSeverity.Error, "Loss = (Loss)7");
        Assert.Equal("(Loss)7 is not a defined Loss: use one of MeanSquaredError, BinaryCrossEntropy, CrossEntropy or Custom", diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Fact]
    public void NG0009_SoftmaxNotOnOutput()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            [Network]
            [Input(2)]
            [Dense(4, Activation.Softmax)]
            [Dense(1, Activation.Sigmoid)]
            public partial class SoftHiddenNet;
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0009", DiagnosticSeverity.Error, "Activation.Softmax");
        Assert.Equal("Layer 1 uses Softmax, which NetGen supports only on the output layer: use ReLU, Tanh or Sigmoid for a hidden layer", diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Theory]
    [InlineData("Loss.CrossEntropy", "[Dense(1, Activation.Sigmoid)]", "Loss.CrossEntropy needs Softmax outputs, but the output layer uses Sigmoid: use Loss.BinaryCrossEntropy, or make the output layer Softmax")]
    [InlineData("Loss.CrossEntropy", "[Dense(3, Activation.Identity)]", "Loss.CrossEntropy needs Softmax outputs, but the output layer uses Identity: use Loss.MeanSquaredError, or make the output layer Softmax")]
    [InlineData("Loss.BinaryCrossEntropy", "[Dense(3, Activation.Softmax)]", "Loss.BinaryCrossEntropy needs Sigmoid outputs, but the output layer uses Softmax: use Loss.CrossEntropy, or make the output layer Sigmoid")]
    [InlineData("Loss.BinaryCrossEntropy", "[Dense(2, Activation.Tanh)]", "Loss.BinaryCrossEntropy needs Sigmoid outputs, but the output layer uses Tanh: use Loss.MeanSquaredError, or make the output layer Sigmoid")]
    public void NG0010_LossDoesNotFitOutput(string loss, string outputLayer, string message)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;

            [Network(Loss = {{loss}})]
            [Input(2)]
            {{outputLayer}}
            public partial class MismatchNet;
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0010", DiagnosticSeverity.Error, $"Loss = {loss}");
        Assert.Equal(message, diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Theory]
    [InlineData("[Network(Loss = Loss.MeanSquaredError)]", "Loss = Loss.MeanSquaredError")]
    [InlineData("[Network]", "Network")]
    [InlineData("[Network(UnrollThreshold = 4)]", "Network(UnrollThreshold = 4)")]
    public void NG0011_MeanSquaredErrorOverSoftmax(string network, string spanText)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;

            /// <summary>Doc.</summary>
            {{network}}
            [Input(2)]
            [Dense(3, Activation.Softmax)]
            public partial class SlowNet;
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0011", DiagnosticSeverity.Warning, spanText);
        Assert.Equal("MeanSquaredError over a Softmax output gives small gradients when the network is confidently wrong: Loss.CrossEntropy fits a Softmax output", diagnostic.GetMessage());

        // A warning: the network is still generated, and compiles cleanly.
        Assert.Equal("SlowNet.g.cs", Assert.Single(run.GeneratedSources).HintName);
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
    }

    [Theory]
    [InlineData("[Dense(3, Activation.Step)] [Dense(1, Activation.Sigmoid)]", 1)]
    [InlineData("[Dense(3, Activation.Tanh)] [Dense(1, Activation.Step)]", 2)]
    public void NG0012_StepInMultiLayerNetwork(string layers, int layer)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;

            [Network]
            [Input(2)]
            {{layers}}
            public partial class SteppedNet;
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0012", DiagnosticSeverity.Error, "Activation.Step");
        Assert.Equal($"Layer {layer} uses Step, whose derivative is zero: gradient descent cannot train it through other layers. Use Step only in a single-layer perceptron trained by Perceptron.Train, or use Sigmoid", diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Fact]
    public void NG0013_LayersSplitAcrossDeclarations()
    {
        const string NetworkPart = """
            using NetGen;

            namespace Samples;

            [Network]
            [Input(2)]
            [Dense(3, Activation.Tanh)]
            public partial class SplitNet;
            """;
        const string LayerPart = """
            using NetGen;

            namespace Samples;

            [Dense(1, Activation.Sigmoid)]
            public partial class SplitNet { }
            """;
        GeneratorRun run = GeneratorHarness.Run(LayerPart, NetworkPart);

        // It points at the name on the declaration that carries [Network], in the second file.
        Diagnostic diagnostic = AssertReported(run, "NG0013", DiagnosticSeverity.Error, "SplitNet");
        Assert.Equal("Source1.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(NetworkPart.IndexOf("SplitNet", StringComparison.Ordinal), diagnostic.Location.SourceSpan.Start);
        Assert.Equal("The attributes of network 'SplitNet' must all be on the declaration that carries [Network], so that the order of its layers is defined", diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Theory]
    [InlineData("public void Predict() { }", "Predict")]
    [InlineData("private int _parameters;", "_parameters")]
    [InlineData("private static class Kernels { }", "Kernels")]
    [InlineData("public static int InputSize => 3;", "InputSize")]
    [InlineData("public float Evaluate(float x) => x;", "Evaluate")]
    [InlineData("public int ComputeBatchGradient => 0;", "ComputeBatchGradient")]
    [InlineData("public void AccumulateBatchGradient() { }", "AccumulateBatchGradient")]
    [InlineData("public class SgdStep { }", "SgdStep")]
    public void NG0014_MemberAlreadyDeclared(string member, string name)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;

            [Network]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class TakenNet
            {
                {{member}}
            }
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0014", DiagnosticSeverity.Error, name);
        Assert.Equal($"'TakenNet' already declares a member named '{name}', which NetGen generates: rename it", diagnostic.GetMessage());
        AssertNothingGenerated(run);
    }

    [Fact]
    public void NG0014_OnePerTakenName()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            [Network]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class TakenNet
            {
                public void Predict(int a) { }
                public void Predict(string b) { }
                public int Layers => 0;
            }
            """);

        run.AssertGeneratorDidNotThrow();
        Assert.Equal(["Layers", "Predict"], run.NetGenDiagnostics.Select(d => SpanText(run, d)).Order(StringComparer.Ordinal));
        Assert.All(run.NetGenDiagnostics, d => Assert.Equal("NG0014", d.Id));
        AssertNothingGenerated(run);
    }

    [Fact]
    public void NG0015_UnrollThresholdNegative()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            [Network(UnrollThreshold = -1)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class UnrolledNet;
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0015", DiagnosticSeverity.Error, "UnrollThreshold = -1");
        Assert.Equal("UnrollThreshold must be 0 (no unrolling) or more, but is -1", diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Fact]
    public void NG0016_ScratchTooLarge()
    {
        // Training scratch: hidden outputs (40,000,000) + logits (1) + prediction (1) + a delta per layer (40,000,001) floats.
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            [Network(Loss = Loss.BinaryCrossEntropy)]
            [Input(4)]
            [Dense(40000000, Activation.ReLU)]
            [Dense(1, Activation.Sigmoid)]
            public partial class HugeNet;
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0016", DiagnosticSeverity.Error, "HugeNet");
        Assert.Equal($"The network 'HugeNet' needs {80000003L * 4} bytes of scratch memory per training sample, more than the 268435456 bytes NetGen allows: make its layers narrower", diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Fact]
    public void NG0025_TooManyParameters()
    {
        // 2 x int.MaxValue weights plus int.MaxValue biases: far past any int, which is why it is counted in long.
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            [Network]
            [Input(2)]
            [Dense(int.MaxValue, Activation.Sigmoid)]
            public partial class EnormousNet;
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0025", DiagnosticSeverity.Error, "EnormousNet");
        Assert.Equal($"The network 'EnormousNet' would have {3L * int.MaxValue} parameters; NetGen supports at most 268435456 (1 GiB of floats): make its layers narrower", diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Theory]
    [InlineData(33554429, false)] // 2 * 33554429 + 3 * 2 = 67108864 floats: exactly 256 MiB
    [InlineData(33554430, true)]
    public void NG0016_LimitIsInclusive(int hiddenUnits, bool reported)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;

            /// <summary>Doc.</summary>
            [Network(Loss = Loss.CrossEntropy)]
            [Input(1)]
            [Dense({{hiddenUnits}}, Activation.ReLU)]
            [Dense(2, Activation.Softmax)]
            public partial class EdgeNet;
            """);

        if (reported)
        {
            Diagnostic diagnostic = AssertReported(run, "NG0016", DiagnosticSeverity.Error, "EdgeNet");
            Assert.Contains("needs 268435464 bytes", diagnostic.GetMessage(), StringComparison.Ordinal);
            AssertOnlyTheStandInGenerated(run);
        }
        else
        {
            run.AssertCleanCompilation();
            Assert.Contains("268435456 bytes per training sample", Assert.Single(run.GeneratedSources).SourceText.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(16381, false)] // 2 * 16381 + 3 * 2 = 32768 floats: exactly 128 KiB, the most that goes on the stack
    [InlineData(16382, true)]
    public void Scratch_above_128_KiB_goes_in_a_per_thread_workspace(int hiddenUnits, bool workspace)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;

            [Network(Loss = Loss.CrossEntropy)]
            [Input(1)]
            [Dense({{hiddenUnits}}, Activation.ReLU)]
            [Dense(2, Activation.Softmax)]
            public partial class EdgeNet;
            """);

        run.AssertCleanCompilation();
        string source = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Equal(workspace, source.Contains("RentWorkspace()", StringComparison.Ordinal));
        Assert.Equal(!workspace, source.Contains("Span<float> hidden1 = stackalloc", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Dropout = 1.5f", "1.5")]
    [InlineData("Dropout = 1f", "1")]
    [InlineData("Dropout = -0.25f", "-0.25")]
    [InlineData("Dropout = float.NaN", "NaN")]
    public void NG0017_DropoutOutOfRange(string dropout, string rate)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;

            [Network(Loss = Loss.CrossEntropy)]
            [Input(4)]
            [Dense(8, Activation.ReLU, {{dropout}})]
            [Dense(3, Activation.Softmax)]
            public partial class DroppedNet;
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0017", DiagnosticSeverity.Error, dropout);
        Assert.Equal($"The dropout rate of layer 1 is {rate}; it must be at least 0 and less than 1", diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Fact]
    public void NG0018_DropoutOnOutputLayer()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            [Network(Loss = Loss.CrossEntropy)]
            [Input(4)]
            [Dense(8, Activation.ReLU, Dropout = 0.5f)]
            [Dense(3, Activation.Softmax, Dropout = 0.25f)]
            public partial class DroppedNet;
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0018", DiagnosticSeverity.Error, "Dropout = 0.25f");
        Assert.Equal("Layer 2 is the output layer, whose outputs are the predictions: dropping them would train on a different loss than the one evaluated. Put dropout on a hidden layer", diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    private const string LossFunctionSignature = "(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)";

    [Theory]
    [InlineData("", 0)]
    [InlineData("[LossFunction] static float A" + LossFunctionSignature + " => 0f; [LossFunction] static float B" + LossFunctionSignature + " => 1f;", 2)]
    public void NG0019_CustomLossMethodMissing(string members, int count)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using System;
            using NetGen;

            [Network(Loss = Loss.Custom)]
            [Input(2)]
            [Dense(1, Activation.Identity)]
            public partial class CustomNet
            {
                {{members}}
            }
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0019", DiagnosticSeverity.Error, "CustomNet");
        Assert.Equal($"The network 'CustomNet' declares Loss.Custom but has {count} methods marked [LossFunction]: mark exactly one, static float Name(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)", diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Theory]
    [InlineData("float Huber" + LossFunctionSignature + " => 0f;", "it is not static")]
    [InlineData("static double Huber" + LossFunctionSignature + " => 0;", "it returns double, not float")]
    [InlineData("static float Huber(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target) => 0f;", "it takes 2 parameters, not 3")]
    [InlineData("static float Huber(float[] prediction, ReadOnlySpan<float> target, Span<float> gradient) => 0f;", "its first parameter is not ReadOnlySpan<float>")]
    [InlineData("static float Huber(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, ReadOnlySpan<float> gradient) => 0f;", "its third parameter is not Span<float>")]
    [InlineData("static float Huber<T>" + LossFunctionSignature + " => 0f;", "it is generic")]
    public void NG0020_LossFunctionSignature(string method, string problem)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using System;
            using NetGen;

            [Network(Loss = Loss.Custom)]
            [Input(2)]
            [Dense(1, Activation.Identity)]
            public partial class CustomNet
            {
                [LossFunction]
                {{method}}
            }
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0020", DiagnosticSeverity.Error, "Huber");
        Assert.Equal($"The loss function 'Huber' must be declared static float Huber(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient): {problem}", diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Fact]
    public void NG0021_LossFunctionUnused()
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using System;
            using NetGen;

            [Network(Loss = Loss.BinaryCrossEntropy)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class CustomNet
            {
                [LossFunction]
                private static float Huber{{LossFunctionSignature}} => 0f;
            }
            """);

        Diagnostic diagnostic = AssertReported(run, "NG0021", DiagnosticSeverity.Error, "Huber");
        Assert.Equal("'Huber' is marked [LossFunction], but the network's loss is BinaryCrossEntropy: set [Network(Loss = Loss.Custom)] to train on it, or remove the attribute", diagnostic.GetMessage());
        AssertOnlyTheStandInGenerated(run);
    }

    [Fact]
    public void EveryDescriptorHasADiagnosticTest()
    {
        var tested = typeof(DiagnosticTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttributes(typeof(FactAttribute), inherit: true).Length > 0)
            .Select(m => m.Name.Split('_')[0])
            .ToHashSet();

        Assert.All(DiagnosticDescriptors.All, d => Assert.Contains(d.Id, tested));
    }

    [Fact]
    public void EveryProblemOfANetworkIsReported()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            [Network(Loss = (Loss)9, UnrollThreshold = -5)]
            [Input(0)]
            [Dense(-1, (Activation)17)]
            public partial class BrokenNet;
            """);

        run.AssertGeneratorDidNotThrow();
        Assert.Equal(
            ["NG0008 Loss = (Loss)9", "NG0015 UnrollThreshold = -5", "NG0006 0", "NG0006 -1", "NG0007 (Activation)17"],
            run.NetGenDiagnostics.Select(d => d.Id + " " + SpanText(run, d)));
        AssertOnlyTheStandInGenerated(run);
    }

    [Fact]
    public void AnInvalidNetworkDoesNotStopAValidOne()
    {
        GeneratorRun run = GeneratorHarness.Run(Declarations.Xor, """
            using NetGen;

            [Network]
            [Input(2)]
            public partial class EmptyNet;
            """);

        run.AssertGeneratorDidNotThrow();
        Assert.Equal("NG0005", Assert.Single(run.NetGenDiagnostics).Id);
        Assert.Equal(["EmptyNet.g.cs", "Samples.XorNet.g.cs"], run.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        Assert.Contains("NetGen could not generate EmptyNet", run.Source("EmptyNet.g.cs"), StringComparison.Ordinal);
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void AttributeWithoutBindingIsLeftToTheCompiler()
    {
        // Wrong argument type: CS1503 from the compiler, and nothing from NetGen (no crash, no guess).
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            [Network]
            [Input("two")]
            [Dense(1, Activation.Sigmoid)]
            public partial class UnboundNet;
            """);

        run.AssertGeneratorDidNotThrow();
        Assert.Empty(run.NetGenDiagnostics);
        Assert.Empty(run.GeneratedSources);
        Assert.Contains(run.CompilationDiagnostics, d => d.Id == "CS1503");
    }

    /// <summary>
    /// Asserts that NetGen reported exactly one diagnostic, with this id and severity, pointing at
    /// <paramref name="spanText"/>; and that the declaration under test is otherwise valid C#.
    /// </summary>
    private static Diagnostic AssertReported(GeneratorRun run, string id, DiagnosticSeverity severity, string spanText, bool allowCompilerErrors = false)
    {
        run.AssertGeneratorDidNotThrow();
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.Equal(severity, diagnostic.DefaultSeverity);
        Assert.EndsWith("#" + id.ToLowerInvariant(), diagnostic.Descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.Equal(spanText, SpanText(run, diagnostic));
        if (!allowCompilerErrors)
        {
            var errors = run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, "The test's source has compiler errors:\n" + GeneratorRun.Format(errors));
        }
        return diagnostic;
    }

    /// <summary>The source text a diagnostic's location covers, checking its line span against the file too.</summary>
    internal static string SpanText(GeneratorRun run, Diagnostic diagnostic)
    {
        FileLinePositionSpan lineSpan = diagnostic.Location.GetLineSpan();
        SyntaxTree? tree = run.InputCompilation.SyntaxTrees.SingleOrDefault(t => t.FilePath == lineSpan.Path);
        Assert.True(tree is not null, $"{diagnostic.Id} is located in '{lineSpan.Path}', which is not a file of the compilation.");
        Assert.Equal(tree.GetLineSpan(diagnostic.Location.SourceSpan).Span, lineSpan.Span);
        return tree.GetText().ToString(diagnostic.Location.SourceSpan);
    }

    /// <summary>
    /// For an error in a declaration NetGen can still extend: only the stand-in is generated (FallbackEmitter), which
    /// compiles without a diagnostic of its own, and the compilation has no error besides NetGen's.
    /// </summary>
    private static void AssertOnlyTheStandInGenerated(GeneratorRun run)
    {
        GeneratedSourceResult standIn = Assert.Single(run.GeneratedSources);
        Assert.Contains("NetGen could not generate", standIn.SourceText.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(run.DiagnosticsInGeneratedFiles, d => d.Severity >= DiagnosticSeverity.Warning);
        var errors = run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The compilation has errors besides NetGen's:\n" + GeneratorRun.Format(errors));
    }

    /// <summary>For a declaration NetGen cannot extend (not partial, not a plain class, a member name taken): nothing at all.</summary>
    private static void AssertNothingGenerated(GeneratorRun run)
    {
        Assert.Empty(run.GeneratedSources);
        Assert.DoesNotContain(run.DiagnosticsInGeneratedFiles, d => d.Severity == DiagnosticSeverity.Error);
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && !run.InputCompilation.SyntaxTrees.Contains(tree));
    }
}
