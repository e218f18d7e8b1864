using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests;

/// <summary>What an edit re-runs: the named steps Parse, Diagnostics and Model, and the source output.</summary>
public class IncrementalityTests
{
    private static readonly SourceFile s_xor = new("Xor.cs", Declarations.Xor);

    private static readonly SourceFile s_digits = new("Digits.cs", Declarations.Simd);

    private static readonly SourceFile s_helper = new("Helper.cs", """
        namespace Samples;

        /// <summary>Not a network.</summary>
        public static class Helper
        {
            /// <summary>Doc.</summary>
            public static int Twice(int x) => 2 * x;
        }
        """);

    [Fact]
    public void FirstRunIsNew()
    {
        GeneratorRun run = Incremental.Start(s_xor, s_helper);

        run.AssertCleanCompilation();
        run.AssertRunReasons("XorNet", NetworkRunReasons.New);
        Assert.Empty(run.DiagnosticsReasons());
    }

    [Fact]
    public void SameCompilationAgainIsCached()
    {
        GeneratorRun first = Incremental.Start(s_xor);
        GeneratorRun second = first.Rerun(first.InputCompilation);

        second.AssertRunReasons("XorNet", NetworkRunReasons.Cached);
        Assert.All(second.Result.TrackedSteps[TrackingNames.Parse].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Incremental.AssertSameGeneratedSources(first, second);
    }

    [Theory]
    [InlineData("namespace Samples;", "// A comment above the namespace.\nnamespace Samples;")]
    [InlineData("/// <summary>XOR.</summary>", "/// <summary>The XOR function, which no single line separates.</summary>")]
    [InlineData("[Dense(4, Activation.Tanh)]", "[Dense( 4 ,\n    Activation.Tanh )]")]
    [InlineData("public partial class XorNet;", "\n\npublic partial class XorNet ;  ")]
    public void CommentOrWhitespaceInTheNetworksFileIsCached(string oldText, string newText)
    {
        GeneratorRun first = Incremental.Start(s_xor, s_helper);
        GeneratorRun second = first.Edit(s_xor.Path, oldText, newText);

        second.AssertGeneratorSilent();
        second.AssertRunReasons("XorNet", NetworkRunReasons.Cached);
        Incremental.AssertSameGeneratedSources(first, second);
    }

    [Fact]
    public void EditingAnUnrelatedClassInAnotherFileIsCached()
    {
        GeneratorRun first = Incremental.Start(s_xor, s_helper);
        GeneratorRun second = first.Edit(s_helper.Path, "2 * x", "x + x");

        second.AssertGeneratorSilent();
        second.AssertRunReasons("XorNet", NetworkRunReasons.Cached);
        Incremental.AssertSameGeneratedSources(first, second);
    }

    [Fact]
    public void ChangingOneNetworksWidthReemitsOnlyThatNetwork()
    {
        GeneratorRun first = Incremental.Start(s_xor, s_digits);
        GeneratorRun second = first.Edit(s_digits.Path, "[Dense(33, Activation.ReLU)]", "[Dense(34, Activation.ReLU)]");

        second.AssertGeneratorSilent();
        second.AssertRunReasons("DigitNet", NetworkRunReasons.Modified);
        second.AssertRunReasons("XorNet", NetworkRunReasons.Cached);
        Assert.Single(second.ModelReasons(), IncrementalStepRunReason.Modified);

        Assert.Equal(first.Source("Samples.XorNet.g.cs"), second.Source("Samples.XorNet.g.cs"));
        Assert.Contains("public const int ParameterCount = 1744;", second.Source("Samples.Digits.DigitNet.g.cs"), StringComparison.Ordinal);
        Assert.Contains("public const int ParameterCount = 1693;", first.Source("Samples.Digits.DigitNet.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void ChangingTheLossReemitsTheNetwork()
    {
        GeneratorRun first = Incremental.Start(s_xor, s_helper);
        GeneratorRun second = first.Edit(s_xor.Path, "Loss.MeanSquaredError", "Loss.BinaryCrossEntropy");

        second.AssertCleanCompilation();
        second.AssertRunReasons("XorNet", NetworkRunReasons.Modified);
        Assert.Contains("static global::NetGen.Loss global::NetGen.INetwork<XorNet>.Loss => global::NetGen.Loss.BinaryCrossEntropy;", second.Source("Samples.XorNet.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void AddingANetworkLeavesTheOthersCached()
    {
        GeneratorRun first = Incremental.Start(s_xor, s_helper);
        GeneratorRun second = first.AddFile(s_digits);

        second.AssertGeneratorSilent();
        second.AssertRunReasons("XorNet", NetworkRunReasons.Cached);
        second.AssertRunReasons("DigitNet", NetworkRunReasons.New);
        Assert.Equal(2, second.GeneratedSources.Length);
    }

    [Fact]
    public void RemovingANetworksFileRemovesItsSourceOnly()
    {
        GeneratorRun first = Incremental.Start(s_xor, s_digits);
        GeneratorRun second = first.RemoveFile(s_digits.Path);

        second.AssertGeneratorSilent();
        Assert.Equal("Samples.XorNet.g.cs", Assert.Single(second.GeneratedSources).HintName);
        second.AssertRunReasons("XorNet", NetworkRunReasons.Cached);
        second.AssertRunReasons("DigitNet", NetworkRunReasons.Removed);
        Assert.Single(second.ModelReasons(), IncrementalStepRunReason.Removed);
    }

    [Fact]
    public void MovingAWarningReReportsItWithoutReemitting()
    {
        // The pipeline keeps diagnostics apart from the model: a moved location re-reports, but emits nothing.
        var file = new SourceFile("Soft.cs", """
            using NetGen;

            /// <summary>Doc.</summary>
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(3)]
            [Dense(4, Activation.Softmax)]
            public partial class SoftNet;
            """);
        GeneratorRun first = Incremental.Start(file);
        GeneratorRun second = first.Edit(file.Path, "using NetGen;", "using NetGen;\n// Two lines\n// further down.");

        Assert.Equal([IncrementalStepRunReason.Modified], second.DiagnosticsReasons());
        second.AssertRunReasons("SoftNet", NetworkRunReasons.Cached with { Parse = StepReason.Modified });
        Incremental.AssertSameGeneratedSources(first, second);

        Diagnostic before = Assert.Single(first.GeneratorDiagnostics), after = Assert.Single(second.GeneratorDiagnostics);
        Assert.Equal("NG0011", after.Id);
        Assert.Equal(before.Location.GetLineSpan().StartLinePosition.Line + 2, after.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal("Loss = Loss.MeanSquaredError", DiagnosticTests.SpanText(second, after));
    }

    [Fact]
    public void FixingAnErrorGeneratesTheNetwork()
    {
        var file = new SourceFile("Broken.cs", """
            using NetGen;

            /// <summary>Doc.</summary>
            [Network]
            [Input(2)]
            [Dense(0, Activation.Sigmoid)]
            public partial class FixedNet;
            """);
        GeneratorRun first = Incremental.Start(file);
        Assert.Equal("NG0006", Assert.Single(first.GeneratorDiagnostics).Id);
        Assert.Contains("NetGen could not generate FixedNet", first.Source("FixedNet.g.cs"), StringComparison.Ordinal);
        Assert.Equal([IncrementalStepRunReason.New], first.DiagnosticsReasons());

        GeneratorRun second = first.Edit(file.Path, "Dense(0,", "Dense(1,");

        second.AssertGeneratorSilent();
        Assert.Equal("FixedNet.g.cs", Assert.Single(second.GeneratedSources).HintName);
        Assert.DoesNotContain("NetGen could not generate", second.Source("FixedNet.g.cs"), StringComparison.Ordinal);
        Assert.Equal([IncrementalStepRunReason.Removed], second.DiagnosticsReasons());
        Assert.Equal([IncrementalStepRunReason.New], second.ModelReasons());
    }
}
