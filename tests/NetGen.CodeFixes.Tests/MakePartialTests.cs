using VerifyPartial = NetGen.CodeFixes.Tests.GeneratorCodeFixTest<NetGen.CodeFixes.MakePartialCodeFixProvider>;

namespace NetGen.CodeFixes.Tests;

/// <summary>NG0001: the fix adds <c>partial</c> to the declaration the diagnostic points at, and the network is generated.</summary>
public class MakePartialTests
{
    [Fact]
    public Task AfterTheAccessModifier() => VerifyPartial.VerifyAsync("""
        using NetGen;

        [Network]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public class {|NG0001:PlainNet|} { }
        """, """
        using NetGen;

        [Network]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public partial class PlainNet { }
        """);

    [Fact]
    public Task LastAmongSeveralModifiers() => VerifyPartial.VerifyAsync("""
        using NetGen;

        namespace App;

        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(3)]
        [Dense(4, Activation.ReLU)]
        [Dense(1, Activation.Sigmoid)]
        internal sealed class {|NG0001:SpamNet|};
        """, """
        using NetGen;

        namespace App;

        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(3)]
        [Dense(4, Activation.ReLU)]
        [Dense(1, Activation.Sigmoid)]
        internal sealed partial class SpamNet;
        """);

    [Fact]
    public Task NoModifiersKeepsTheIndentationAndComments() => VerifyPartial.VerifyAsync("""
        using NetGen;

        namespace App
        {
            [Network]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            // The AND gate.
            class {|NG0001:AndNet|}
            {
                public override string ToString() => "AND";
            }
        }
        """, """
        using NetGen;

        namespace App
        {
            [Network]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            // The AND gate.
            partial class AndNet
            {
                public override string ToString() => "AND";
            }
        }
        """);

    [Fact]
    public Task NestedInAPartialClass() => VerifyPartial.VerifyAsync("""
        using NetGen;

        public partial class Outer
        {
            [Network]
            [Input(2)]
            [Dense(3, Activation.Tanh)]
            [Dense(1, Activation.Identity)]
            private class {|NG0001:Inner|} { }
        }
        """, """
        using NetGen;

        public partial class Outer
        {
            [Network]
            [Input(2)]
            [Dense(3, Activation.Tanh)]
            [Dense(1, Activation.Identity)]
            private partial class Inner { }
        }
        """);

    [Fact]
    public Task CommentAfterTheLastModifier() => VerifyPartial.VerifyAsync("""
        using NetGen;

        [Network]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public/* the network */class {|NG0001:CommentNet|};
        """, """
        using NetGen;

        [Network]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public/* the network */ partial class CommentNet;
        """);

    [Fact]
    public Task FixAllMakesEveryNetworkPartial() => VerifyPartial.VerifyAsync("""
        using NetGen;

        [Network]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public class {|NG0001:AndNet|};

        [Network(Loss = Loss.CrossEntropy)]
        [Input(4)]
        [Dense(3, Activation.Softmax)]
        internal class {|NG0001:IrisNet|} { }
        """, """
        using NetGen;

        [Network]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public partial class AndNet;

        [Network(Loss = Loss.CrossEntropy)]
        [Input(4)]
        [Dense(3, Activation.Softmax)]
        internal partial class IrisNet { }
        """);
}
