using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests;

/// <summary>Every diagnostic has a section in docs/diagnostics.md that its help link opens.</summary>
public partial class DocumentationTests
{
    private static readonly Lazy<string> s_document = new(() =>
        Snapshot.Normalize(File.ReadAllText(Path.Combine(Snapshot.RepositoryRoot(), "docs", "diagnostics.md"))));

    public static TheoryData<string> Ids => new(DiagnosticDescriptors.All.Select(d => d.Id).Order(StringComparer.Ordinal));

    [Fact]
    public void IdsAreNumberedFromNG0001WithoutGaps()
    {
        var ids = DiagnosticDescriptors.All.Select(d => d.Id).Order(StringComparer.Ordinal).ToList();

        Assert.True(ids.Count >= 16, $"Expected at least NG0001..NG0016, found {string.Join(", ", ids)}.");
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => $"NG{i:D4}"), ids);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void DescriptorHasADocumentedSectionAndHelpLink(string id)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.ById(id);
        string anchor = id.ToLowerInvariant();

        // One constant for every link: the repository's docs/diagnostics.md, whose section has the id as its anchor.
        Assert.Equal("https://github.com/netgen-dotnet/netgen/blob/main/docs/diagnostics.md#", DiagnosticDescriptors.HelpLinkBase);
        Assert.Equal(DiagnosticDescriptors.HelpLinkBase + anchor, descriptor.HelpLinkUri);
        Assert.Equal("NetGen", descriptor.Category);
        Assert.True(descriptor.IsEnabledByDefault);

        string document = s_document.Value;
        string heading = $"## {id}: {descriptor.Title}";
        int headingAt = document.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(headingAt >= 0, $"docs/diagnostics.md has no heading '{heading}'.");
        Assert.Contains($"<a id=\"{anchor}\"></a>\n\n{heading}\n", document, StringComparison.Ordinal);

        // The section, up to the next heading of its level, says the severity and shows a wrong example and the fix.
        int next = document.IndexOf("\n## ", headingAt + 1, StringComparison.Ordinal);
        string section = next < 0 ? document[headingAt..] : document[headingAt..next];
        Assert.Contains($"Severity: **{descriptor.DefaultSeverity}**", section, StringComparison.Ordinal);
        Assert.Contains("```", section, StringComparison.Ordinal);
        Assert.Contains("Fix", section, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void SectionsExamplesReportTheDiagnosticAndTheFixCompiles(string id)
    {
        string document = s_document.Value;
        int headingAt = document.IndexOf($"\n## {id}:", StringComparison.Ordinal);
        Assert.True(headingAt >= 0, $"No section for {id}.");
        int next = document.IndexOf("\n## ", headingAt + 1, StringComparison.Ordinal);
        string section = next < 0 ? document[headingAt..] : document[headingAt..next];
        var examples = CodeBlock().Matches(section).Select(m => "using System;\nusing NetGen;\n\n" + m.Groups[1].Value).ToList();

        // Two C# blocks: the wrong declaration, then the fixed one. Where the problem is in another file (a weights
        // file), the section shows that file or the project file instead, and any C# block is the wrong declaration.
        Assert.Contains("```", section, StringComparison.Ordinal);
        Assert.InRange(examples.Count, 0, 2);
        if (examples.Count == 0)
        {
            return;
        }
        GeneratorRun wrong = GeneratorHarness.Run(examples[0]);
        wrong.AssertGeneratorDidNotThrow();
        Assert.Equal(id, Assert.Single(wrong.GeneratorDiagnostics).Id);
        if (examples.Count == 1)
        {
            return;
        }

        GeneratorRun fixedRun = GeneratorHarness.Run(examples[1]);
        fixedRun.AssertGeneratorDidNotThrow();
        Assert.Empty(fixedRun.GeneratorDiagnostics);
        Assert.Single(fixedRun.GeneratedSources);
        var errors = fixedRun.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, GeneratorRun.Format(errors));
    }

    [Fact]
    public void DocumentHasNoSectionForAnUnknownId()
    {
        var known = DiagnosticDescriptors.All.Select(d => d.Id).ToHashSet();
        var documented = HeadingId().Matches(s_document.Value).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(documented.Distinct(), documented);
        Assert.All(documented, id => Assert.Contains(id, known));
    }

    [GeneratedRegex(@"^## (NG\d{4})\b", RegexOptions.Multiline)]
    private static partial Regex HeadingId();

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
