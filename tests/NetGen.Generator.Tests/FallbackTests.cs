using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests;

/// <summary>
/// A declaration with an error gets a stand-in (FallbackEmitter): code that uses the class still binds, so the NG
/// error shows alone instead of with CS0117/CS1061 at every use, and every member throws the error's message.
/// </summary>
public class FallbackTests
{
    private static readonly SourceFile s_user = new("User.cs", """
        using System;
        using NetGen;

        namespace Samples;

        /// <summary>Code that uses the network the way an app and its trainer do.</summary>
        public static class User
        {
            /// <summary>Every kind of use.</summary>
            public static float Use()
            {
                var net = new BrokenNet();
                float[] input = new float[BrokenNet.InputSize];
                float[] output = new float[BrokenNet.OutputSize];
                net.Predict(input, output);
                BrokenNet.Predict(net.Parameters, input, output);
                net.InitializeParameters(seed: 1);
                float[] gradient = new float[BrokenNet.ParameterCount];
                float loss = net.AccumulateGradient(input, output, gradient) + net.Evaluate(input, output, output);
                return loss + Count<BrokenNet>() + BrokenNet.Layers.Count;
            }

            private static int Count<T>() where T : INetwork<T> => T.ParameterCount;
        }
        """);

    private static SourceFile Broken(string layers) => new("Broken.cs", $$"""
        using NetGen;

        namespace Samples;

        /// <summary>A network with an error.</summary>
        [Network(Loss = Loss.CrossEntropy)]
        [Input(3)]
        {{layers}}
        public partial class BrokenNet;
        """);

    [Theory]
    [InlineData("[Dense(0, Activation.ReLU)] [Dense(2, Activation.Softmax)]", "NG0006")]
    [InlineData("[Dense(4, Activation.Softmax)] [Dense(2, Activation.Softmax)]", "NG0009")]
    [InlineData("[Dense(4, Activation.ReLU)] [Dense(2, Activation.Sigmoid)]", "NG0010")]
    [InlineData("[Dense(4, Activation.ReLU, Dropout = 2f)] [Dense(2, Activation.Softmax)]", "NG0017")]
    [InlineData("", "NG0005")]
    public void ABrokenDeclarationUsedElsewhereShowsOnlyTheNetGenError(string layers, string id)
    {
        GeneratorRun run = GeneratorHarness.Run(Broken(layers), s_user);

        run.AssertGeneratorDidNotThrow();
        Assert.Equal([id], run.GeneratorDiagnostics.Select(d => d.Id));
        var others = run.CompilationDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(others.Count == 0, "Besides NetGen's error, the compilation reports:\n" + GeneratorRun.Format(others));
    }

    [Fact]
    public void TheKnownSizesAreConstantsAndEveryMemberThrowsTheError()
    {
        GeneratorRun run = GeneratorHarness.Run(Broken("[Dense(4, Activation.ReLU)] [Dense(2, Activation.Sigmoid)]"), s_user);
        string standIn = run.Source("Samples.BrokenNet.g.cs");
        Assert.Contains("public const int InputSize = 3;", standIn, StringComparison.Ordinal);
        Assert.Contains("public const int OutputSize = 2;", standIn, StringComparison.Ordinal);
        Assert.Contains("public const int ParameterCount = 26;", standIn, StringComparison.Ordinal);

        Type user = LoadType(run, "Samples.User");
        var error = Assert.Throws<TargetInvocationException>(() => user.GetMethod("Use")!.Invoke(null, null));
        var thrown = Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal(
            "NetGen did not generate the network 'BrokenNet': its declaration has error NG0010: " + Assert.Single(run.GeneratorDiagnostics).GetMessage(),
            thrown.Message);
    }

    [Fact]
    public void AnUnknownSizeIsAPropertyThatThrows()
    {
        GeneratorRun run = GeneratorHarness.Run(Broken("[Dense(0, Activation.ReLU)] [Dense(2, Activation.Softmax)]"), s_user);
        string standIn = run.Source("Samples.BrokenNet.g.cs");

        Assert.Contains("public const int InputSize = 3;", standIn, StringComparison.Ordinal);
        Assert.Contains("public const int OutputSize = 2;", standIn, StringComparison.Ordinal);
        Assert.Contains("public static int ParameterCount => throw new global::System.InvalidOperationException(", standIn, StringComparison.Ordinal);
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
    }

    [Fact]
    public void NoStandInWhenABaseClassHasAMemberItWouldHide()
    {
        // The parser stops at NG0006 before it checks member names; the stand-in's Predict would hide Base.Predict (CS0108).
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            /// <summary>Doc.</summary>
            public class Base
            {
                /// <summary>Doc.</summary>
                public void Predict() { }
            }

            /// <summary>Doc.</summary>
            [Network]
            [Input(2)]
            [Dense(0, Activation.Sigmoid)]
            public partial class DerivedNet : Base;
            """);

        run.AssertGeneratorDidNotThrow();
        Assert.Equal(["NG0006"], run.GeneratorDiagnostics.Select(d => d.Id));
        Assert.Empty(run.GeneratedSources);
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
    }

    [Fact]
    public void NoStandInForAClassThatIsNotPartial()
    {
        GeneratorRun run = GeneratorHarness.Run(Broken("[Dense(0, Activation.ReLU)]").Text.Replace("partial class", "class", StringComparison.Ordinal));

        Assert.Equal(["NG0001"], run.GeneratorDiagnostics.Select(d => d.Id));
        Assert.Empty(run.GeneratedSources);
    }

    private static Type LoadType(GeneratorRun run, string typeName)
    {
        using var image = new MemoryStream();
        var emitted = run.OutputCompilation.Emit(image);
        Assert.True(emitted.Success, GeneratorRun.Format(emitted.Diagnostics));
        image.Position = 0;
        Assembly assembly = new AssemblyLoadContext(nameof(FallbackTests) + typeName, isCollectible: true).LoadFromStream(image);
        return assembly.GetType(typeName, throwOnError: true)!;
    }
}
