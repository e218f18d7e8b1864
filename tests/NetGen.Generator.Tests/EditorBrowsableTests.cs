using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.Generator.Tests;

/// <summary>
/// The members only the trainer calls stay public (INetwork requires them) but are kept out of IntelliSense with
/// [EditorBrowsable(Never)]; the members users call are not.
/// </summary>
public class EditorBrowsableTests
{
    private static readonly string[] s_trainerOnly = ["AccumulateBatchGradient", "ComputeBatchGradient", "SgdStep", "SgdBatchStep", "PackForPrediction", "PredictPacked"];

    [Theory]
    [InlineData(nameof(Declarations.Xor), 6)] // AccumulateBatchGradient, ComputeBatchGradient, SgdStep x3, SgdBatchStep (a lane-form network)
    [InlineData(nameof(Declarations.Dropout), 5)] // no SgdBatchStep: dropout has no lane form
    [InlineData(nameof(Declarations.Packed), 7)] // no SgdBatchStep; PackForPrediction and PredictPacked, which Predictor calls
    public void TrainerOnlyMembersAreHiddenAndTheOthersAreNot(string declaration, int trainerOnly)
    {
        GeneratorRun run = Declarations.RunOf(declaration);
        var networkClass = run.GeneratedSources.Single().SyntaxTree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().First();
        var methods = networkClass.Members.OfType<MethodDeclarationSyntax>()
            .Where(m => m.Modifiers.Any(SyntaxKind.PublicKeyword))
            .ToList();

        var hidden = methods.Where(m => s_trainerOnly.Contains(m.Identifier.Text)).ToList();
        Assert.Equal(trainerOnly, hidden.Count);
        Assert.All(hidden, m => Assert.True(IsHidden(m), $"{m.Identifier.Text}({m.ParameterList.Parameters.Count} parameters) is not [EditorBrowsable(Never)]."));
        Assert.All(methods.Except(hidden), m => Assert.False(IsHidden(m), $"{m.Identifier.Text} should show in IntelliSense."));
        Assert.Contains(methods, m => m.Identifier.Text == "Predict");
    }

    private static bool IsHidden(MethodDeclarationSyntax method)
        => method.AttributeLists.SelectMany(list => list.Attributes).Any(attribute =>
            attribute.Name.ToString() == "global::System.ComponentModel.EditorBrowsable"
            && attribute.ArgumentList?.Arguments.Single().ToString() == "global::System.ComponentModel.EditorBrowsableState.Never");
}
