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
    public void ChangingTheWeightsFileReemitsWithoutReparsing()
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
        second.AssertRunReasons("XorNet", NetworkRunReasons.ModifiedEmission);
        Assert.NotEqual(first.Source("Samples.XorNet.g.cs"), second.Source("Samples.XorNet.g.cs"));
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
