namespace NetGen.Generator.Tests;

/// <summary>The generated text of three declarations, compared with the golden files in Snapshots/.</summary>
public class SnapshotTests
{
    [Theory]
    [InlineData(nameof(Declarations.Xor), "XorNet")]
    [InlineData(nameof(Declarations.Simd), "DigitNet")]
    [InlineData(nameof(Declarations.NestedBinaryCrossEntropy), "SpamFilter")]
    public void GeneratedSourceMatchesSnapshot(string declaration, string snapshotName)
    {
        GeneratorRun run = Declarations.RunOf(declaration);
        run.AssertCleanCompilation();

        Snapshot.Verify(ScrubVersion(run.Source(Declarations.HintNameOf(declaration))), snapshotName);
    }

    [Fact]
    public void NormalizeTurnsEveryLineEndingIntoLineFeed()
        => Assert.Equal("a\nb\nc\n", Snapshot.Normalize("a\r\nb\rc\n"));

    /// <summary>
    /// The generator's version changes with every release; the snapshots hold a placeholder instead, and
    /// <see cref="ValidDeclarationTests.GeneratedCodeAttributeCarriesTheGeneratorVersion"/> checks the real one.
    /// </summary>
    private static string ScrubVersion(string source)
    {
        string version = typeof(NetworkGenerator).Assembly.GetName().Version!.ToString(3);
        string stamped = $"GeneratedCode(\"NetGen.Generator\", \"{version}\")";
        Assert.Contains(stamped, source, StringComparison.Ordinal);
        return source.Replace(stamped, "GeneratedCode(\"NetGen.Generator\", \"{version}\")", StringComparison.Ordinal);
    }
}
