using System.Collections.Immutable;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Tests;

/// <summary>A C# source file for a test compilation: its path (which diagnostics report) and its text.</summary>
internal sealed record SourceFile(string Path, string Text);

/// <summary>
/// What one run of the generator produced: the sources it added, the diagnostics it reported, and the diagnostics of
/// the compilation that includes the generated sources.
/// </summary>
internal sealed record GeneratorRun(
    GeneratorDriver Driver,
    CSharpCompilation InputCompilation,
    Compilation OutputCompilation,
    ImmutableArray<GeneratedSourceResult> GeneratedSources,
    ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    // Compiling the output is most of a test's time: only the tests that look at its diagnostics pay for it, once.
    private readonly Lazy<ImmutableArray<Diagnostic>> _compilationDiagnostics = new(() => OutputCompilation.GetDiagnostics());

    /// <summary>The diagnostics of the compilation that includes the generated sources.</summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics => _compilationDiagnostics.Value;

    public GeneratorRunResult Result => Driver.GetRunResult().Results.Single();

    /// <summary>The diagnostics NetGen reported (ids NG....), in source order.</summary>
    public ImmutableArray<Diagnostic> NetGenDiagnostics => GeneratorDiagnostics
        .Where(d => d.Id.StartsWith("NG", StringComparison.Ordinal))
        .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
        .ThenBy(d => d.Location.SourceSpan.Start)
        .ToImmutableArray();

    /// <summary>The text of the generated file with <paramref name="hintName"/>; fails when there is none.</summary>
    public string Source(string hintName)
    {
        var matches = GeneratedSources.Where(s => s.HintName == hintName).ToList();
        Assert.True(matches.Count == 1, $"Expected one generated source '{hintName}', found: [{string.Join(", ", GeneratedSources.Select(s => s.HintName))}]");
        return matches[0].SourceText.ToString();
    }

    /// <summary>Compilation diagnostics located in a file the generator added.</summary>
    public IEnumerable<Diagnostic> DiagnosticsInGeneratedFiles
    {
        get
        {
            var generatedTrees = GeneratedSources.Select(s => s.SyntaxTree).ToHashSet();
            return CompilationDiagnostics.Where(d => d.Location.SourceTree is { } tree && generatedTrees.Contains(tree));
        }
    }

    /// <summary>Fails when the generator threw: Roslyn turns an exception into warning CS8784 or CS8785 and an Exception on the result.</summary>
    public void AssertGeneratorDidNotThrow()
    {
        Assert.Null(Result.Exception);
        var crashes = GeneratorDiagnostics.Concat(CompilationDiagnostics)
            .Where(d => d.Id.StartsWith("CS8784", StringComparison.Ordinal) || d.Id.StartsWith("CS8785", StringComparison.Ordinal))
            .ToList();
        Assert.True(crashes.Count == 0, "The generator threw:\n" + Format(crashes));
    }

    /// <summary>Fails when the generator threw or reported anything; does not compile the output.</summary>
    public void AssertGeneratorSilent()
    {
        AssertGeneratorDidNotThrow();
        Assert.True(GeneratorDiagnostics.IsEmpty, "The generator reported:\n" + Format(GeneratorDiagnostics));
    }

    /// <summary>Fails unless the generator reported nothing and the compilation, generated code included, has no warning or error.</summary>
    public void AssertCleanCompilation()
    {
        AssertGeneratorDidNotThrow();
        Assert.True(GeneratorDiagnostics.IsEmpty, "The generator reported:\n" + Format(GeneratorDiagnostics));
        var problems = CompilationDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, "The compilation with the generated code has diagnostics:\n" + Format(problems));
    }

    public static string Format(IEnumerable<Diagnostic> diagnostics)
        => string.Join("\n", diagnostics.Select(d => $"  {d.Severity} {d.Id} at {d.Location.GetLineSpan()}: {d.GetMessage()}"));
}

/// <summary>An additional file (an AdditionalFiles item of the project) held in memory.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text, System.Text.Encoding.UTF8);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>Builds compilations from source strings and runs <see cref="NetworkGenerator"/> over them.</summary>
internal static class GeneratorHarness
{
    /// <summary>Parse options of every test compilation; documentation comments are checked, as GenerateDocumentationFile would.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview, DocumentationMode.Diagnose);

    public static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        warningLevel: 9999,
        deterministic: true);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    /// <summary>The framework's assemblies and NetGen.dll.</summary>
    public static ImmutableArray<MetadataReference> References => s_references.Value;

    /// <summary>Source files named Source0.cs, Source1.cs, ... in order.</summary>
    public static SourceFile[] Files(params string[] sources)
        => sources.Select((text, i) => new SourceFile($"Source{i}.cs", text)).ToArray();

    public static CSharpCompilation CreateCompilation(params string[] sources) => CreateCompilation(Files(sources));

    public static CSharpCompilation CreateCompilation(params SourceFile[] sources)
        => CSharpCompilation.Create(
            "NetGen.Generator.Tests.Input",
            sources.Select(s => Parse(s)),
            References,
            CompilationOptions);

    public static SyntaxTree Parse(SourceFile source)
        => CSharpSyntaxTree.ParseText(SourceText.From(source.Text, System.Text.Encoding.UTF8), ParseOptions, source.Path);

    /// <summary>A driver for NetworkGenerator that records every tracked step, for the incrementality tests.</summary>
    public static GeneratorDriver CreateDriver(params AdditionalText[] additionalTexts)
        => CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            additionalTexts: additionalTexts,
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(params string[] sources) => Run(CreateDriver(), CreateCompilation(sources));

    public static GeneratorRun Run(params SourceFile[] sources) => Run(CreateDriver(), CreateCompilation(sources));

    /// <summary>Runs <paramref name="driver"/> (fresh, or holding the state of earlier runs) over <paramref name="compilation"/>.</summary>
    public static GeneratorRun Run(GeneratorDriver driver, CSharpCompilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        return new GeneratorRun(driver, compilation, output, result.GeneratedSources, generatorDiagnostics);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The shared framework's own directory: TRUSTED_PLATFORM_ASSEMBLIES also lists this test's dependencies
        // (Roslyn, xunit), which the compilations under test must not see.
        string frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = new List<MetadataReference>();
        foreach (string path in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string name = Path.GetFileName(path);
            bool wanted = name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal)
                || name is "netstandard.dll" or "mscorlib.dll";
            if (wanted && name.EndsWith(".dll", StringComparison.Ordinal)
                && string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal) && HasMetadata(path))
            {
                references.Add(MetadataReference.CreateFromFile(path));
            }
        }
        references.Add(MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location));
        return references.ToImmutableArray();
    }

    private static bool HasMetadata(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new PEReader(stream);
        return reader.HasMetadata;
    }
}
