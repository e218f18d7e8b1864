using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Tests;

namespace NetGen.CodeFixes.Tests;

/// <summary>
/// What an IDE needs to offer these fixes for diagnostics that come from a source generator, checked step by step
/// without the test framework: the generator's diagnostic is located in the user's syntax tree (Roslyn's IDE maps a
/// generator diagnostic to a document through <see cref="Location.SourceTree"/>, and offers no fix for one it cannot
/// map); given that diagnostic in a <see cref="CodeFixContext"/>, the provider registers one action with the expected
/// title; applying its operations to a workspace gives the fixed text; and the generator is then silent.
/// </summary>
public class IdeContractTests
{
    private const string NotPartial = """
        using NetGen;

        [Network]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public class PlainNet { }
        """;

    private const string WrongLoss = """
        using NetGen;

        [Network(Loss = Loss.CrossEntropy)]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public partial class SpamNet;
        """;

    [Theory]
    [InlineData(NotPartial, "NG0001", "PlainNet")]
    [InlineData(WrongLoss, "NG0010", "Loss = Loss.CrossEntropy")]
    public void GeneratorDiagnosticIsInTheUsersTree(string source, string id, string span)
    {
        GeneratorRun run = GeneratorHarness.Run(source);

        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.True(diagnostic.Location.IsInSource, $"{id} is at {diagnostic.Location.Kind}, not in a syntax tree: an IDE cannot map it to a document.");
        Assert.Same(run.InputCompilation.SyntaxTrees.Single(), diagnostic.Location.SourceTree);
        Assert.Equal(span, diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public async Task MakePartialThroughACodeFixContext()
    {
        string fixedSource = await ApplySingleFixAsync(new MakePartialCodeFixProvider(), NotPartial, MakePartialCodeFixProvider.Title, MakePartialCodeFixProvider.Title);

        Assert.Equal(NotPartial.Replace("public class", "public partial class", StringComparison.Ordinal), fixedSource);
        GeneratorHarness.Run(fixedSource).AssertCleanCompilation();
    }

    [Fact]
    public async Task FitLossThroughACodeFixContext()
    {
        string fixedSource = await ApplySingleFixAsync(
            new FitLossCodeFixProvider(), WrongLoss, "Use Loss.BinaryCrossEntropy, which fits the Sigmoid output layer", FitLossCodeFixProvider.EquivalenceKey);

        Assert.Equal(WrongLoss.Replace("Loss.CrossEntropy", "Loss.BinaryCrossEntropy", StringComparison.Ordinal), fixedSource);
        GeneratorHarness.Run(fixedSource).AssertCleanCompilation();
    }

    [Theory]
    [InlineData("Softmax", "CrossEntropy")]
    [InlineData("Sigmoid", "BinaryCrossEntropy")]
    [InlineData("Identity", "MeanSquaredError")]
    [InlineData("Tanh", "MeanSquaredError")]
    [InlineData("ReLU", "MeanSquaredError")]
    [InlineData("Step", "MeanSquaredError")]
    public void LossForEachOutputActivation(string activation, string loss) => Assert.Equal(loss, FitLossCodeFixProvider.LossFor(activation));

    /// <summary>
    /// Runs the generator over <paramref name="source"/>, hands its one diagnostic to <paramref name="provider"/> for a
    /// document of an ad hoc workspace with the same text, checks the one registered action, applies it, and returns
    /// the document's new text.
    /// </summary>
    private static async Task<string> ApplySingleFixAsync(CodeFixProvider provider, string source, string title, string equivalenceKey)
    {
        using var workspace = new AdhocWorkspace();
        Project project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Create(), "Fixed", "Fixed", LanguageNames.CSharp,
            compilationOptions: GeneratorHarness.CompilationOptions,
            parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: GeneratorHarness.References));
        Document document = workspace.AddDocument(project.Id, "Source0.cs", SourceText.From(source));

        // The generator's diagnostic is against its own compilation's tree: the IDE, like this test, takes its span
        // into the document that has the same text.
        Diagnostic reported = Assert.Single(GeneratorHarness.Run(source).GeneratorDiagnostics);
        SyntaxTree tree = (await document.GetSyntaxTreeAsync())!;
        Diagnostic diagnostic = Diagnostic.Create(reported.Descriptor, Location.Create(tree, reported.Location.SourceSpan), reported.Properties, reported.GetMessage());
        Assert.Contains(diagnostic.Id, provider.FixableDiagnosticIds);

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);

        CodeAction codeAction = Assert.Single(actions);
        Assert.Equal(title, codeAction.Title);
        Assert.Equal(equivalenceKey, codeAction.EquivalenceKey);
        ImmutableArray<CodeActionOperation> operations = await codeAction.GetOperationsAsync(CancellationToken.None);
        foreach (CodeActionOperation operation in operations)
        {
            operation.Apply(workspace, CancellationToken.None);
        }
        Document fixedDocument = workspace.CurrentSolution.GetDocument(document.Id)!;
        return (await fixedDocument.GetTextAsync()).ToString();
    }
}
