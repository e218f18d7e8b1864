using VerifyLoss = NetGen.CodeFixes.Tests.GeneratorCodeFixTest<NetGen.CodeFixes.FitLossCodeFixProvider>;

namespace NetGen.CodeFixes.Tests;

/// <summary>NG0010: the fix sets the loss that fits the output layer (the last [Dense]), and the network is generated.</summary>
public class FitLossTests
{
    [Fact]
    public Task SigmoidOutputGetsBinaryCrossEntropy() => VerifyLoss.VerifyAsync("""
        using NetGen;

        [Network({|NG0010:Loss = Loss.CrossEntropy|})]
        [Input(2)]
        [Dense(4, Activation.Tanh)]
        [Dense(1, Activation.Sigmoid)]
        public partial class SpamNet;
        """, """
        using NetGen;

        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(2)]
        [Dense(4, Activation.Tanh)]
        [Dense(1, Activation.Sigmoid)]
        public partial class SpamNet;
        """);

    [Fact]
    public Task SoftmaxOutputGetsCrossEntropy() => VerifyLoss.VerifyAsync("""
        using NetGen;

        [Network({|NG0010:Loss = Loss.BinaryCrossEntropy|})]
        [Input(4)]
        [Dense(8, Activation.ReLU)]
        [Dense(3, Activation.Softmax)]
        public partial class IrisNet;
        """, """
        using NetGen;

        [Network(Loss = Loss.CrossEntropy)]
        [Input(4)]
        [Dense(8, Activation.ReLU)]
        [Dense(3, Activation.Softmax)]
        public partial class IrisNet;
        """);

    [Theory]
    [InlineData("CrossEntropy", "Activation.Tanh")]
    [InlineData("CrossEntropy", "Activation.ReLU")]
    [InlineData("BinaryCrossEntropy", "Activation.Identity")]
    [InlineData("BinaryCrossEntropy", "Activation.Tanh")]
    public Task AnyOtherOutputGetsMeanSquaredError(string loss, string activation) => VerifyLoss.VerifyAsync($$"""
        using NetGen;

        [Network({|NG0010:Loss = Loss.{{loss}}|})]
        [Input(2)]
        [Dense(2, {{activation}})]
        public partial class RegressionNet;
        """, $$"""
        using NetGen;

        [Network(Loss = Loss.MeanSquaredError)]
        [Input(2)]
        [Dense(2, {{activation}})]
        public partial class RegressionNet;
        """);

    [Fact]
    public Task DefaultActivationIsIdentity() => VerifyLoss.VerifyAsync("""
        using NetGen;

        [Network({|NG0010:Loss = Loss.BinaryCrossEntropy|})]
        [Input(2)]
        [Dense(3)]
        public partial class LinearNet;
        """, """
        using NetGen;

        [Network(Loss = Loss.MeanSquaredError)]
        [Input(2)]
        [Dense(3)]
        public partial class LinearNet;
        """);

    [Fact]
    public Task OutputLayerIsTheLastDenseWhateverTheAttributeLists() => VerifyLoss.VerifyAsync("""
        using System;
        using NetGen;

        [Network(UnrollThreshold = 0, {|NG0010:Loss = Loss.CrossEntropy|}), Input(3)]
        [Dense(5, Activation.ReLU), Dense(4, Activation.Tanh)]
        [Dense(units: 2, activation: Activation.Sigmoid)]
        [Obsolete("after the layers")]
        public partial class ListsNet;
        """, """
        using System;
        using NetGen;

        [Network(UnrollThreshold = 0, Loss = Loss.BinaryCrossEntropy), Input(3)]
        [Dense(5, Activation.ReLU), Dense(4, Activation.Tanh)]
        [Dense(units: 2, activation: Activation.Sigmoid)]
        [Obsolete("after the layers")]
        public partial class ListsNet;
        """);

    [Fact]
    public Task NamedActivationArgumentFirst() => VerifyLoss.VerifyAsync("""
        using NetGen;

        [Network({|NG0010:Loss = Loss.BinaryCrossEntropy|})]
        [Input(2)]
        [Dense(activation: Activation.Softmax, units: 3)]
        public partial class NamedNet;
        """, """
        using NetGen;

        [Network(Loss = Loss.CrossEntropy)]
        [Input(2)]
        [Dense(activation: Activation.Softmax, units: 3)]
        public partial class NamedNet;
        """);

    [Fact]
    public Task QualifiedNamesStayQualified() => VerifyLoss.VerifyAsync("""
        [NetGen.Network({|NG0010:Loss = global::NetGen.Loss.CrossEntropy|})]
        [NetGen.Input(2)]
        [NetGen.Dense(1, NetGen.Activation.Sigmoid)]
        public partial class QualifiedNet;
        """, """
        [NetGen.Network(Loss = global::NetGen.Loss.BinaryCrossEntropy)]
        [NetGen.Input(2)]
        [NetGen.Dense(1, NetGen.Activation.Sigmoid)]
        public partial class QualifiedNet;
        """);

    [Fact]
    public Task UsingStaticKeepsTheBareName() => VerifyLoss.VerifyAsync("""
        using NetGen;
        using static NetGen.Loss;

        [Network({|NG0010:Loss = CrossEntropy|})]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public partial class StaticNet;
        """, """
        using NetGen;
        using static NetGen.Loss;

        [Network(Loss = BinaryCrossEntropy)]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public partial class StaticNet;
        """);

    [Fact]
    public Task CastBecomesTheEnumMember() => VerifyLoss.VerifyAsync("""
        using NetGen;

        [Network({|NG0010:Loss = (Loss)2|})]
        [Input(2)]
        [Dense(1, (Activation)2)]
        public partial class CastNet;
        """, """
        using NetGen;

        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(2)]
        [Dense(1, (Activation)2)]
        public partial class CastNet;
        """);

    [Fact]
    public Task CastWithoutUsingBecomesTheQualifiedMember() => VerifyLoss.VerifyAsync("""
        [NetGen.Network({|NG0010:Loss = (NetGen.Loss)1|})]
        [NetGen.Input(2)]
        [NetGen.Dense(3, NetGen.Activation.Softmax)]
        public partial class CastNet;
        """, """
        [NetGen.Network(Loss = NetGen.Loss.CrossEntropy)]
        [NetGen.Input(2)]
        [NetGen.Dense(3, NetGen.Activation.Softmax)]
        public partial class CastNet;
        """);

    [Fact]
    public Task FixAllFitsEveryNetwork() => VerifyLoss.VerifyAsync("""
        using NetGen;

        namespace App;

        [Network({|NG0010:Loss = Loss.CrossEntropy|})]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public partial class A;

        [Network({|NG0010:Loss = Loss.CrossEntropy|})]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public partial class B;
        """, """
        using NetGen;

        namespace App;

        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public partial class A;

        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public partial class B;
        """);

    [Fact]
    public Task FixAllGivesEachNetworkTheLossOfItsOwnOutput() => VerifyLoss.VerifyAsync("""
        using NetGen;

        namespace App;

        [Network({|NG0010:Loss = Loss.CrossEntropy|})]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public partial class Spam;

        [Network({|NG0010:Loss = Loss.BinaryCrossEntropy|})]
        [Input(4)]
        [Dense(3, Activation.Softmax)]
        public partial class Iris;

        [Network({|NG0010:Loss = Loss.CrossEntropy|})]
        [Input(3)]
        [Dense(2, Activation.Tanh)]
        public partial class Regression;
        """, """
        using NetGen;

        namespace App;

        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public partial class Spam;

        [Network(Loss = Loss.CrossEntropy)]
        [Input(4)]
        [Dense(3, Activation.Softmax)]
        public partial class Iris;

        [Network(Loss = Loss.MeanSquaredError)]
        [Input(3)]
        [Dense(2, Activation.Tanh)]
        public partial class Regression;
        """);
}
