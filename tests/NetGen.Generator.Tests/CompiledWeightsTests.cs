using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests;

/// <summary>[Network(Weights = "...")]: a weights file among the additional files, compiled into the network, and NG0022..NG0024.</summary>
public class CompiledWeightsTests
{
    private const string WeightsPath = "/project/xor.weights";

    private static readonly Lazy<(float[] Parameters, string Text)> s_xorWeights = new(() =>
    {
        INetworkCalls xor = ValidDeclarationTests.LoadDeclaration(nameof(Declarations.Xor), "Samples.XorNet");
        float[] parameters = new float[xor.ParameterCount];
        xor.InitializeParameters(parameters, seed: 42);
        return (parameters, xor.WeightsFileText(parameters));
    });

    private static string XorWithWeights(string hidden = "[Dense(4, Activation.Tanh)]")
        => Declarations.Xor
            .Replace("[Network(Loss = Loss.MeanSquaredError)]", "[Network(Loss = Loss.MeanSquaredError, Weights = \"xor.weights\")]", StringComparison.Ordinal)
            .Replace("[Dense(4, Activation.Tanh)]", hidden, StringComparison.Ordinal);

    private static GeneratorRun Run(string source, params AdditionalText[] additionalTexts)
        => GeneratorHarness.Run(GeneratorHarness.CreateDriver(additionalTexts), GeneratorHarness.CreateCompilation(source));

    [Fact]
    public void NewInstanceStartsFromTheCompiledInWeights()
    {
        var (parameters, text) = s_xorWeights.Value;
        GeneratorRun run = Run(XorWithWeights(), new InMemoryAdditionalText(WeightsPath, text));
        run.AssertCleanCompilation();

        INetworkCalls network = ValidDeclarationTests.Load(run.OutputCompilation, new AssemblyLoadContext(nameof(NewInstanceStartsFromTheCompiledInWeights), isCollectible: true), "Samples.XorNet");
        float[] compiled = network.NewInstanceParameters();

        Assert.Equal(parameters.Select(BitConverter.SingleToInt32Bits), compiled.Select(BitConverter.SingleToInt32Bits));
        Assert.NotEqual(parameters, ValidDeclarationTests.LoadDeclaration(nameof(Declarations.Xor), "Samples.XorNet").NewInstanceParameters());
    }

    [Fact]
    public void NG0022_WeightsFileNotFound()
    {
        GeneratorRun run = Run(XorWithWeights(), new InMemoryAdditionalText("/project/other.weights", s_xorWeights.Value.Text));

        Diagnostic diagnostic = AssertReported(run, "NG0022", "Weights = \"xor.weights\"");
        Assert.Equal("The weights file 'xor.weights' is not among the compilation's additional files: add <AdditionalFiles Include=\"xor.weights\" /> to the project file", diagnostic.GetMessage());
    }

    /// <summary>An additional file that counts how often its text is read.</summary>
    private sealed class CountingAdditionalText(string path, string text) : AdditionalText
    {
        private readonly Microsoft.CodeAnalysis.Text.SourceText _text = Microsoft.CodeAnalysis.Text.SourceText.From(text, System.Text.Encoding.UTF8);

        public int Reads { get; private set; }

        public override string Path { get; } = path;

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default)
        {
            Reads++;
            return _text;
        }
    }

    [Theory]
    [InlineData("not a weights file\n", "its first line is not the NetGen weights header")]
    [InlineData(CompiledWeightsFile.Header + "\n%%%%\n", "the text after the header line is not valid Base64")]
    [InlineData(CompiledWeightsFile.Header + "\nAAAA\n", "its record is truncated (3 bytes)")]
    public void NG0023_WeightsFileInvalid(string text, string problem)
    {
        GeneratorRun run = Run(XorWithWeights(), new InMemoryAdditionalText(WeightsPath, text));

        Diagnostic diagnostic = AssertReported(run, "NG0023", "Weights = \"xor.weights\"");
        Assert.Equal($"The weights file 'xor.weights' cannot be compiled in: {problem}. Write it with CompiledWeightsFile.Save", diagnostic.GetMessage());
    }

    [Fact]
    public void NG0023_DamagedRecordFailsItsChecksum()
    {
        string text = s_xorWeights.Value.Text;
        int at = text.IndexOf('\n', StringComparison.Ordinal) + 40; // inside the parameters
        string damaged = text[..at] + (text[at] == 'A' ? 'B' : 'A') + text[(at + 1)..];

        GeneratorRun run = Run(XorWithWeights(), new InMemoryAdditionalText(WeightsPath, damaged));

        Diagnostic diagnostic = AssertReported(run, "NG0023", "Weights = \"xor.weights\"");
        Assert.Contains("its checksum does not match its contents", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void NG0024_WeightsFileShapeMismatch()
    {
        // The file holds the 2-4-1 network's 17 parameters; this network is 2-3-1, with 13.
        GeneratorRun run = Run(XorWithWeights("[Dense(3, Activation.Tanh)]"), new InMemoryAdditionalText(WeightsPath, s_xorWeights.Value.Text));

        Diagnostic diagnostic = AssertReported(run, "NG0024", "Weights = \"xor.weights\"");
        Assert.Matches(
            @"^The weights file 'xor\.weights' holds 17 parameters for the shape with fingerprint 0x[0-9A-F]{16}, but 'XorNet' has 13 parameters and fingerprint 0x[0-9A-F]{16}: save the weights of this network again$",
            diagnostic.GetMessage());
    }

    [Fact]
    public void ChangingTheWeightsFileReemitsOnlyTheWeightsFile()
    {
        var (parameters, text) = s_xorWeights.Value;
        var file = new InMemoryAdditionalText(WeightsPath, text);
        GeneratorRun first = Run(XorWithWeights(), file);
        first.AssertGeneratorSilent();

        INetworkCalls xor = ValidDeclarationTests.LoadDeclaration(nameof(Declarations.Xor), "Samples.XorNet");
        float[] other = new float[parameters.Length];
        xor.InitializeParameters(other, seed: 43);
        GeneratorRun second = first.ReplaceAdditionalText(file, new InMemoryAdditionalText(WeightsPath, xor.WeightsFileText(other)));

        second.AssertGeneratorSilent();
        // The network's file depends on whether the weights fit, not on their values: it is not emitted again.
        second.AssertRunReasons("XorNet", NetworkRunReasons.Cached);
        Assert.Equal([IncrementalStepRunReason.Modified], second.StepReasons(TrackingNames.WeightsEmission));
        Assert.Equal(first.Source("Samples.XorNet.g.cs"), second.Source("Samples.XorNet.g.cs"));
        Assert.NotEqual(first.Source("Samples.XorNet.Weights.g.cs"), second.Source("Samples.XorNet.Weights.g.cs"));
    }

    [Fact]
    public void AnUnrelatedEditReadsAndEmitsNothingForTheWeights()
    {
        var helper = new SourceFile("Helper.cs", "namespace Samples;\n\n/// <summary>Doc.</summary>\npublic static class Helper\n{\n    /// <summary>Doc.</summary>\n    public static int Twice(int x) => 2 * x;\n}\n");
        var weights = new CountingAdditionalText(WeightsPath, s_xorWeights.Value.Text);
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(weights), GeneratorHarness.CreateCompilation(new SourceFile("Xor.cs", XorWithWeights()), helper));
        first.AssertGeneratorSilent();
        int reads = weights.Reads;

        GeneratorRun second = first.Edit("Helper.cs", "2 * x", "x + x");

        second.AssertGeneratorSilent();
        Assert.Equal(reads, weights.Reads);
        second.AssertRunReasons("XorNet", NetworkRunReasons.Cached);
        Assert.All(second.StepReasons(TrackingNames.WeightsFiles), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(second.StepReasons(TrackingNames.WeightsEmission), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Incremental.AssertSameGeneratedSources(first, second);
    }

    [Fact]
    public void TheWeightsGoInAFileOfTheirOwn()
    {
        GeneratorRun run = Run(XorWithWeights(), new InMemoryAdditionalText(WeightsPath, s_xorWeights.Value.Text));

        run.AssertCleanCompilation();
        Assert.Equal(["Samples.XorNet.Preprocessing.g.cs", "Samples.XorNet.Weights.g.cs", "Samples.XorNet.g.cs"], run.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        Assert.Contains("internal const string CompiledParameters = \"", run.Source("Samples.XorNet.Weights.g.cs"), StringComparison.Ordinal);
        Assert.DoesNotContain("new byte[]", run.Source("Samples.XorNet.g.cs"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/project/models/wine-model.txt", "wine-model.txt")]
    [InlineData("/project/xor", "xor")]
    [InlineData("/project/Weights/XOR.Weights", "xor.weights")]
    public void AWeightsFileWithAnyNameIsCompiledIn(string path, string declared)
    {
        var (parameters, text) = s_xorWeights.Value;
        GeneratorRun run = Run(XorWithWeights().Replace("xor.weights", declared, StringComparison.Ordinal), new InMemoryAdditionalText(path, text));
        run.AssertCleanCompilation();

        INetworkCalls network = ValidDeclarationTests.Load(run.OutputCompilation, new AssemblyLoadContext(nameof(AWeightsFileWithAnyNameIsCompiledIn), isCollectible: true), "Samples.XorNet");
        Assert.Equal(parameters.Select(BitConverter.SingleToInt32Bits), network.NewInstanceParameters().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void OnlyTheAdditionalFileANetworkNamesIsRead()
    {
        var notes = new CountingAdditionalText("/project/notes.txt", "Not a weights file.");
        var weights = new CountingAdditionalText("/project/wine-model.txt", s_xorWeights.Value.Text);
        GeneratorRun run = Run(XorWithWeights().Replace("xor.weights", "wine-model.txt", StringComparison.Ordinal), notes, weights);

        run.AssertGeneratorSilent();
        Assert.Equal(0, notes.Reads);
        Assert.Equal(1, weights.Reads);
    }

    [Fact]
    public void EveryHalfOfAFloatRoundTrips()
    {
        // 32,768 parameters whose 65,536 halves are every UTF-16 code unit once: lone surrogates, quotes, backslashes,
        // control characters and NaN payloads included.
        string declaration = """
            using NetGen;

            namespace Samples;

            /// <summary>Every bit pattern.</summary>
            [Network(Weights = "all.weights")]
            [Input(255)]
            [Dense(128, Activation.Identity)]
            public partial class AllBitsNet;
            """;
        GeneratorRun plain = GeneratorHarness.Run(declaration.Replace("(Weights = \"all.weights\")", "", StringComparison.Ordinal));
        INetworkCalls network = ValidDeclarationTests.Load(plain.OutputCompilation, new AssemblyLoadContext("AllBitsPlain", isCollectible: true), "Samples.AllBitsNet");
        Assert.Equal(32768, network.ParameterCount);
        int[] bits = Enumerable.Range(0, 32768).Select(i => 2 * i | (2 * i + 1) << 16).ToArray();
        string text = network.WeightsFileText(bits.Select(BitConverter.Int32BitsToSingle).ToArray());

        GeneratorRun run = Run(declaration, new InMemoryAdditionalText("/project/all.weights", text));
        run.AssertCleanCompilation();

        INetworkCalls compiled = ValidDeclarationTests.Load(run.OutputCompilation, new AssemblyLoadContext("AllBitsCompiled", isCollectible: true), "Samples.AllBitsNet");
        Assert.Equal(bits, compiled.NewInstanceParameters().Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData("xor.weigths", "did you mean 'xor.weights'?")]
    [InlineData("XOR.weight", "did you mean 'xor.weights'?")]
    [InlineData("xor.txt", "did you mean 'xor.weights'?")]
    [InlineData("model.weights", "add <AdditionalFiles Include=\"model.weights\" /> to the project file")]
    [InlineData("xor.ngw", "compiled-in weights need the text form, not a binary .ngw file: write it with CompiledWeightsFile.Save(network, \"xor.weights\"), add <AdditionalFiles Include=\"xor.weights\" /> to the project file, and declare Weights = \"xor.weights\"")]
    public void NG0022_SaysWhatToDo(string declared, string advice)
    {
        GeneratorRun run = Run(XorWithWeights().Replace("xor.weights", declared, StringComparison.Ordinal),
            new InMemoryAdditionalText(WeightsPath, s_xorWeights.Value.Text), new InMemoryAdditionalText("/project/readme.md", "# Readme"));

        Diagnostic diagnostic = AssertReported(run, "NG0022", $"Weights = \"{declared}\"");
        Assert.Equal($"The weights file '{declared}' is not among the compilation's additional files: {advice}", diagnostic.GetMessage());
    }

    [Fact]
    public void NG0023_ABinaryFileIsNotTheTextForm()
    {
        // What the compiler makes of NetworkFile.Save's bytes: the 0x89 of the magic is not UTF-8, then "NetGen", 0x1A, ...
        GeneratorRun run = Run(XorWithWeights().Replace("xor.weights", "xor.ngw", StringComparison.Ordinal),
            new InMemoryAdditionalText("/project/xor.ngw", "\uFFFDNetGen\u001A\u0001\0\u0001\0\u0011\0\0\0"));

        Diagnostic diagnostic = AssertReported(run, "NG0023", "Weights = \"xor.ngw\"");
        Assert.Equal(
            "The weights file 'xor.ngw' cannot be compiled in: it is a binary network file (NetworkFile.Save writes those), and the compiler hands generators text only: compiled-in weights need the text form. Write it with CompiledWeightsFile.Save",
            diagnostic.GetMessage());
    }

    [Theory]
    [InlineData(false, "The weights file 'xor.weights' is not among the compilation's additional files: add <AdditionalFiles Include=\"xor.weights\" /> to the project file")]
    [InlineData(true, "The weights file 'xor.weights' holds 17 parameters")]
    public void NG0026_OptionalWeightsFileNotUsed(bool fileForAnotherShape, string reason)
    {
        string source = XorWithWeights(fileForAnotherShape ? "[Dense(3, Activation.Tanh)]" : "[Dense(4, Activation.Tanh)]")
            .Replace("Weights = \"xor.weights\"", "Weights = \"xor.weights\", WeightsOptional = true", StringComparison.Ordinal);
        GeneratorRun run = fileForAnotherShape ? Run(source, new InMemoryAdditionalText(WeightsPath, s_xorWeights.Value.Text)) : Run(source);

        run.AssertGeneratorDidNotThrow();
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0026", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("Weights = \"xor.weights\"", DiagnosticTests.SpanText(run, diagnostic));
        Assert.StartsWith("'XorNet' starts from its initialization, not from compiled-in weights, because its weights file is optional and cannot be used: " + reason, diagnostic.GetMessage(), StringComparison.Ordinal);

        // The network is generated and starts from the initialization of seed 0, as without a weights file.
        Assert.Equal("Samples.XorNet.g.cs", Assert.Single(run.GeneratedSources).HintName);
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        if (!fileForAnotherShape)
        {
            INetworkCalls network = ValidDeclarationTests.Load(run.OutputCompilation, new AssemblyLoadContext(nameof(NG0026_OptionalWeightsFileNotUsed), isCollectible: true), "Samples.XorNet");
            float[] seedZero = new float[network.ParameterCount];
            network.InitializeParameters(seedZero, seed: 0);
            Assert.Equal(seedZero, network.NewInstanceParameters());
        }
    }

    private static Diagnostic AssertReported(GeneratorRun run, string id, string spanText)
    {
        run.AssertGeneratorDidNotThrow();
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(spanText, DiagnosticTests.SpanText(run, diagnostic));

        // Unlike the declaration's own errors, a weights file's leaves the network generated (without compiled-in
        // weights), so that code using it still binds; the generated code has no error of its own.
        Assert.Equal("Samples.XorNet.g.cs", Assert.Single(run.GeneratedSources).HintName);
        Assert.DoesNotContain(run.DiagnosticsInGeneratedFiles, d => d.Severity >= DiagnosticSeverity.Warning);
        return diagnostic;
    }
}
