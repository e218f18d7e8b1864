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
using Microsoft.CodeAnalysis.Simplification;

namespace NetGen.CodeFixes;

/// <summary>
/// NG0010: rewrites the <c>Loss = ...</c> argument of <c>[Network]</c> to the loss that fits the output layer, read
/// from the last <c>[Dense(...)]</c> attribute of the class: <c>Loss.CrossEntropy</c> for a Softmax output,
/// <c>Loss.BinaryCrossEntropy</c> for a Sigmoid output, <c>Loss.MeanSquaredError</c> for any other.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FitLossCodeFixProvider)), Shared]
public sealed class FitLossCodeFixProvider : CodeFixProvider
{
    private const string DenseAttributeName = "NetGen.DenseAttribute";
    private const string ActivationTypeName = "NetGen.Activation";
    private const string LossTypeName = "NetGen.Loss";

    /// <summary>
    /// The equivalence key of every fix of this provider, whichever loss it sets: Fix All gives each network the loss
    /// that fits its own output layer.
    /// </summary>
    public const string EquivalenceKey = "NG0010:FitLoss";

    /// <summary>The code action's title.</summary>
    public static string Title(string loss, string activation) => $"Use Loss.{loss}, which fits the {activation} output layer";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.LossDoesNotFitOutput);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return;
        }
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (FindLossArgument(root, diagnostic) is not { } argument
                || argument.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration
                || OutputActivation(declaration, semanticModel, context.CancellationToken) is not { } activation)
            {
                continue;
            }
            string loss = LossFor(activation);
            bool namesLossMember = NamesLossMember(argument.Expression, semanticModel, context.CancellationToken);
            context.RegisterCodeFix(
                CodeAction.Create(
                    Title(loss, activation),
                    cancellationToken => SetLossAsync(context.Document, argument, loss, namesLossMember, cancellationToken),
                    equivalenceKey: EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The loss that fits an output layer with <paramref name="activation"/>.</summary>
    public static string LossFor(string activation) => activation switch
    {
        "Softmax" => "CrossEntropy",
        "Sigmoid" => "BinaryCrossEntropy",
        _ => "MeanSquaredError",
    };

    /// <summary>The <c>Loss = ...</c> argument the diagnostic points at (or that the attribute it points at carries).</summary>
    private static AttributeArgumentSyntax? FindLossArgument(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Location.IsInSource || !root.FullSpan.Contains(diagnostic.Location.SourceSpan))
        {
            return null;
        }
        SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is { } argument && IsLoss(argument))
        {
            return argument;
        }
        return node.FirstAncestorOrSelf<AttributeSyntax>()?.ArgumentList?.Arguments.FirstOrDefault(IsLoss);

        static bool IsLoss(AttributeArgumentSyntax argument) => argument.NameEquals?.Name.Identifier.ValueText == "Loss";
    }

    /// <summary>
    /// The activation of the output layer, the last <c>[Dense]</c> in source order among the class's attributes, as
    /// the name of an <c>Activation</c> member; null when it cannot be told (an unbound attribute, an undefined value).
    /// </summary>
    private static string? OutputActivation(TypeDeclarationSyntax declaration, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        AttributeSyntax? last = declaration.AttributeLists
            .SelectMany(list => list.Attributes)
            .LastOrDefault(attribute => IsDense(attribute, semanticModel, cancellationToken));
        if (last is null)
        {
            return null;
        }
        // The activation is the second positional argument, or the one named 'activation:', or the default, Identity.
        ExpressionSyntax? expression = null;
        int position = 0;
        foreach (AttributeArgumentSyntax argument in last.ArgumentList?.Arguments ?? default)
        {
            if (argument.NameEquals is not null)
            {
                continue;
            }
            if (argument.NameColon is { } nameColon)
            {
                if (nameColon.Name.Identifier.ValueText == "activation")
                {
                    expression = argument.Expression;
                }
                continue;
            }
            if (position++ == 1)
            {
                expression = argument.Expression;
            }
        }
        if (expression is null)
        {
            return "Identity";
        }
        Optional<object?> value = semanticModel.GetConstantValue(expression, cancellationToken);
        if (!value.HasValue || value.Value is not int number)
        {
            return null;
        }
        INamedTypeSymbol? activationType = semanticModel.Compilation.GetTypeByMetadataName(ActivationTypeName);
        return activationType?.GetMembers().OfType<IFieldSymbol>()
            .FirstOrDefault(field => field.HasConstantValue && field.ConstantValue is int constant && constant == number)?.Name;
    }

    private static bool IsDense(AttributeSyntax attribute, SemanticModel semanticModel, CancellationToken cancellationToken)
        => semanticModel.GetSymbolInfo(attribute, cancellationToken).Symbol is IMethodSymbol constructor
           && constructor.ContainingType.ToDisplayString() == DenseAttributeName;

    /// <summary>Whether <paramref name="expression"/> names a member of NetGen.Loss (<c>Loss.X</c>, <c>NetGen.Loss.X</c>, <c>X</c> under <c>using static</c>).</summary>
    private static bool NamesLossMember(ExpressionSyntax expression, SemanticModel semanticModel, CancellationToken cancellationToken)
        => (expression is IdentifierNameSyntax || expression.IsKind(SyntaxKind.SimpleMemberAccessExpression))
           && semanticModel.GetSymbolInfo(expression, cancellationToken).Symbol is IFieldSymbol field
           && field.ContainingType.ToDisplayString() == LossTypeName;

    private static async Task<Document> SetLossAsync(Document document, AttributeArgumentSyntax argument, string loss, bool namesLossMember, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }
        ExpressionSyntax replacement = argument.Expression switch
        {
            // Loss.CrossEntropy, NetGen.Loss.CrossEntropy, global::NetGen.Loss.CrossEntropy, CrossEntropy (using static):
            // only the member's name changes, the rest stays as written.
            MemberAccessExpressionSyntax memberAccess when namesLossMember
                => memberAccess.WithName(SyntaxFactory.IdentifierName(loss).WithTriviaFrom(memberAccess.Name)),
            IdentifierNameSyntax identifier when namesLossMember
                => SyntaxFactory.IdentifierName(loss).WithTriviaFrom(identifier),
            // Anything else ((Loss)2, a constant of the user's): the enum member, fully qualified, then simplified to
            // what the file's usings allow.
            var other => SyntaxFactory.ParseExpression("global::NetGen.Loss." + loss)
                .WithTriviaFrom(other)
                .WithAdditionalAnnotations(Simplifier.Annotation),
        };
        return document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, replacement));
    }
}
