using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>NG0001: adds <c>partial</c> to the network class's declaration that the diagnostic points at.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider)), Shared]
public sealed class MakePartialCodeFixProvider : CodeFixProvider
{
    /// <summary>The code action's title, also its equivalence key (one kind of fix, so Fix All can batch them).</summary>
    public const string Title = "Make the class partial";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.NotPartial);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (FindDeclaration(root, diagnostic) is not { } declaration)
            {
                continue;
            }
            context.RegisterCodeFix(
                CodeAction.Create(Title, cancellationToken => AddPartialAsync(context.Document, declaration, cancellationToken), equivalenceKey: Title),
                diagnostic);
        }
    }

    /// <summary>The class whose identifier the diagnostic points at, if it still lacks <c>partial</c>.</summary>
    private static ClassDeclarationSyntax? FindDeclaration(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Location.IsInSource || !root.FullSpan.Contains(diagnostic.Location.SourceSpan))
        {
            return null;
        }
        SyntaxToken token = root.FindToken(diagnostic.Location.SourceSpan.Start);
        return token.Parent is ClassDeclarationSyntax declaration
               && declaration.Identifier == token
               && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
            ? declaration
            : null;
    }

    private static async Task<Document> AddPartialAsync(Document document, ClassDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }
        return document.WithSyntaxRoot(root.ReplaceNode(declaration, AddPartial(declaration)));
    }

    /// <summary>
    /// <c>partial</c> goes last among the modifiers, right before <c>class</c> (where C# requires it). With no
    /// modifiers it takes over the leading trivia of the <c>class</c> keyword (indentation, comments), so that the
    /// line keeps its shape: <c>    class N</c> becomes <c>    partial class N</c>.
    /// </summary>
    internal static ClassDeclarationSyntax AddPartial(ClassDeclarationSyntax declaration)
    {
        SyntaxToken partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (declaration.Modifiers.Count == 0)
        {
            SyntaxToken keyword = declaration.Keyword;
            return declaration
                .WithKeyword(keyword.WithLeadingTrivia())
                .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
        }
        SyntaxToken last = declaration.Modifiers.Last();
        if (!last.TrailingTrivia.Any(t => t.IsKind(SyntaxKind.WhitespaceTrivia) || t.IsKind(SyntaxKind.EndOfLineTrivia)))
        {
            // 'public/**/class N': keep the comment where it is, after the last modifier.
            partial = partial.WithLeadingTrivia(SyntaxFactory.Space);
        }
        return declaration.WithModifiers(declaration.Modifiers.Add(partial));
    }
}
