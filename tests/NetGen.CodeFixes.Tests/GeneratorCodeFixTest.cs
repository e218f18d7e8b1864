using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using NetGen.Generator;
using NetGen.Generator.Tests;

namespace NetGen.CodeFixes.Tests;

/// <summary>
/// A code fix test whose diagnostics come from NetGen's source generator, not from an analyzer: the framework
/// (Microsoft.CodeAnalysis.Testing 1.1.4) runs the generators that <see cref="GetSourceGenerators"/> names over each
/// state and adds their diagnostics to the ones it checks and fixes. So each test checks that the generator reports
/// the markup's diagnostic at the markup's span, that the fix (and Fix All, when there are several) turns the code into
/// the fixed code exactly, and that the generator then reports nothing and the compilation, generated code included,
/// has no error.
/// </summary>
internal sealed class GeneratorCodeFixTest<TCodeFix> : CSharpCodeFixTest<EmptyDiagnosticAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    public GeneratorCodeFixTest()
    {
        // The framework's assemblies and NetGen.dll, the same as the generator tests' compilations: nothing to download.
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
        FixedState.AdditionalReferences.AddRange(GeneratorHarness.References);
        BatchFixedState.AdditionalReferences.AddRange(GeneratorHarness.References);
        // What the generator emits is the generator tests' concern (golden snapshots); here it only has to compile.
        TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck;
    }

    protected override IEnumerable<Type> GetSourceGenerators() => [typeof(NetworkGenerator)];

    public static Task VerifyAsync(string source, string fixedSource, string? batchFixedSource = null)
    {
        var test = new GeneratorCodeFixTest<TCodeFix> { TestCode = source, FixedCode = fixedSource };
        if (batchFixedSource is not null)
        {
            test.BatchFixedCode = batchFixedSource;
        }
        return test.RunAsync();
    }
}
