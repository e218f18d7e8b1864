using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests;

/// <summary>
/// Declarations at the edges of what C# allows. NetworkParser promises that whatever would make the generated code
/// fail to compile is reported as a diagnostic; so for each of these, either NetGen reports an error and generates
/// nothing, or the generated code compiles with no error and no warning. The generator never throws.
/// The cases marked Skip break that promise today (generator bugs, described in the Skip reason).
/// </summary>
public class EdgeCaseTests
{
    private const string Net = """
        [Network]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        """;

    [Theory]
    [InlineData("abstract network", "public abstract partial class N;")]
    [InlineData("sealed internal network", "internal sealed partial class N;")]
    [InlineData("nested in a partial interface", "public partial interface I { NET public partial class N; }")]
    [InlineData("nested in a partial record struct", "public partial record struct R { NET public partial class N; }")]
    [InlineData("primary constructor", "public partial class N(int seed) { public int Seed => seed; }")]
    [InlineData("static constructor and finalizer", "public partial class N { static N() { } ~N() { } }")]
    [InlineData("user members named like generated locals", "public partial class N { public static int parameters = 1; private static float Sigmoid(float z) => z; private int DeterministicRandom => 1; private int hidden1 => 2; }")]
    [InlineData("same name in two namespaces", "namespace A { NET public partial class N; } namespace B { NET public partial class N; }")]
    [InlineData("same name in two outer classes", "public partial class A { NET public partial class N; } public partial class B { NET public partial class N; }")]
    [InlineData("user property named Loss", "public partial class N { public float Loss { get; set; } }")]
    [InlineData("user member named MathF", "public partial class N { private static int MathF => 1; }")]
    [InlineData("containing type named Loss", "public partial class Loss { NET public partial class N; }")]
    [InlineData("user LayerInfo type in the network's namespace", "namespace App { public record LayerInfo(int A); NET public partial class N; }")]
    [InlineData("user Activation enum in the network's namespace", "public partial class Top; namespace App { public enum Activation { Sigmoid } [NetGen.Network] [NetGen.Input(2)] [NetGen.Dense(1, NetGen.Activation.Sigmoid)] public partial class N; }")]
    [InlineData("network named Kernels", "public partial class Kernels;")]
    [InlineData("base class declares Predict", "public class B { public void Predict(System.ReadOnlySpan<float> i, System.Span<float> o) { } } NET public partial class N : B;")]
    [InlineData("base class declares InputSize", "public class B { public const int InputSize = 9; } NET public partial class N : B;")]
    [InlineData("keyword class name", "public partial class @event;")]
    [InlineData("keyword containing type", "public partial class @class { NET public partial class N; }")]
    [InlineData("keyword namespace", "namespace @if.Nets { NET public partial class N; }")]
    [InlineData("names differing only in case", "namespace App { NET public partial class Net; NET public partial class NET; }",
        Skip = "Generator bug: hint names are compared ignoring case, so 'App.Net.g.cs' and 'App.NET.g.cs' collide, AddSource throws and the whole generator fails (CS8785), dropping every network.")]
    public void GeneratedCodeNeverFailsToCompile(string description, string declaration)
    {
        GeneratorRun run = GeneratorHarness.Run("using NetGen;\n\n" + (declaration.Contains("NET ", StringComparison.Ordinal)
            ? declaration.Replace("NET ", Net.Replace('\n', ' ') + " ", StringComparison.Ordinal)
            : Net + "\n" + declaration));

        run.AssertGeneratorDidNotThrow();
        var inGenerated = run.DiagnosticsInGeneratedFiles.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(inGenerated.Count == 0, $"{description}: problems in generated files:\n{GeneratorRun.Format(inGenerated)}");
        bool reported = run.NetGenDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
        if (!reported)
        {
            Assert.NotEmpty(run.GeneratedSources);
            var errors = run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"{description}: compiler errors:\n{GeneratorRun.Format(errors)}");
        }
    }

    [Fact]
    public void FileLocalNetworkGetsItsMembersOrIsReported()
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using NetGen;

            {{Net}}
            file partial class N;

            file static class Use
            {
                public static int Count => N.ParameterCount;
            }
            """);

        run.AssertGeneratorDidNotThrow();
        if (!run.NetGenDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        }
    }

    [Theory]
    [InlineData("Huber")]
    [InlineData("ComputeLoss")]
    [InlineData("OutputDelta")]
    [InlineData("loss")]
    [InlineData("prediction")]
    public void LossFunctionMayHaveAnyName(string name)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using System;
            using NetGen;

            [Network(Loss = Loss.Custom)]
            [Input(2)]
            [Dense(2, Activation.Sigmoid)]
            internal partial class CustomNet
            {
                [LossFunction]
                private static float {{name}}(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
                {
                    gradient[0] = prediction[0] - target[0];
                    gradient[1] = 0f;
                    return 0.5f * gradient[0] * gradient[0];
                }
            }
            """);

        run.AssertGeneratorDidNotThrow();
        var problems = run.GeneratorDiagnostics.Concat(run.CompilationDiagnostics).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, GeneratorRun.Format(problems));
    }

    [Fact]
    public void NoWarnSuppressesTheWarning()
    {
        var compilation = GeneratorHarness.CreateCompilation(SoftmaxWithMeanSquaredError);
        compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions([new("NG0011", ReportDiagnostic.Suppress)]));

        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);

        run.AssertGeneratorDidNotThrow();
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.GeneratedSources);
    }

    [Fact]
    public void WarningAsErrorPromotesTheWarning()
    {
        var compilation = GeneratorHarness.CreateCompilation(SoftmaxWithMeanSquaredError);
        compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions([new("NG0011", ReportDiagnostic.Error)]));

        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);

        Assert.Equal(DiagnosticSeverity.Error, Assert.Single(run.GeneratorDiagnostics).Severity);
    }

    [Fact]
    public void PragmaSuppressesTheWarning()
    {
        GeneratorRun run = GeneratorHarness.Run("#pragma warning disable NG0011\n" + SoftmaxWithMeanSquaredError + "\n#pragma warning restore NG0011\n");

        run.AssertGeneratorDidNotThrow();
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "NG0011" && !d.IsSuppressed);
    }

    private const string SoftmaxWithMeanSquaredError = """
        using NetGen;

        [Network]
        [Input(2)]
        [Dense(3, Activation.Softmax)]
        internal partial class SoftNet;
        """;
}
