using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests;

/// <summary>
/// NetGen's diagnostics are located in the user's syntax tree, so <c>#pragma warning disable</c> reaches them: the
/// driver marks the warning suppressed, and the compiler shows no suppressed diagnostic (docs/diagnostics.md, NG0011).
/// </summary>
public class PragmaTests
{
    private const string SlowNet = """
        using NetGen;

        /// <summary>Doc.</summary>
        [Network]
        [Input(2)]
        [Dense(3, Activation.Softmax)]
        public partial class SlowNet;
        """;

    [Fact]
    public void NG0011_PragmaWarningDisableSuppressesIt()
    {
        GeneratorRun run = GeneratorHarness.Run("#pragma warning disable NG0011\n" + SlowNet);

        run.AssertGeneratorDidNotThrow();
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0011", diagnostic.Id);
        Assert.True(diagnostic.IsSuppressed, "#pragma warning disable NG0011 did not suppress NG0011.");
        Assert.Equal("SlowNet.g.cs", Assert.Single(run.GeneratedSources).HintName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("#pragma warning disable NG0011\n#pragma warning restore NG0011\n")]
    [InlineData("#pragma warning disable NG0010\n")]
    public void NG0011_ShowsWithoutAPragmaThatCoversIt(string pragmas)
    {
        GeneratorRun run = GeneratorHarness.Run(SlowNet.Replace("[Network]", pragmas + "[Network]", StringComparison.Ordinal));

        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0011", diagnostic.Id);
        Assert.False(diagnostic.IsSuppressed);
    }
}
