using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Tests;

/// <summary>The run reasons a tracked step may show: one, or several that mean the same to a test (Cached or Unchanged).</summary>
internal sealed record StepReason(string Description, params IncrementalStepRunReason[] Allowed)
{
    public static readonly StepReason New = new("New", IncrementalStepRunReason.New);

    /// <summary>Not recomputed (Cached) or recomputed to an equal value (Unchanged): either way nothing downstream runs.</summary>
    public static readonly StepReason Reused = new("Cached or Unchanged", IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);

    public static readonly StepReason Modified = new("Modified", IncrementalStepRunReason.Modified);

    public static readonly StepReason Removed = new("Removed", IncrementalStepRunReason.Removed);

    public bool Matches(IncrementalStepRunReason reason) => Allowed.Contains(reason);
}

/// <summary>
/// What a run did for one network at each step of the pipeline, in the style of Mapperly's incrementality presets:
/// <see cref="New"/> on the first run, <see cref="Cached"/> when an edit left the network as it was,
/// <see cref="Modified"/> when its declaration changed, <see cref="Removed"/> when it went away.
/// </summary>
internal sealed record NetworkRunReasons(StepReason Parse, StepReason Model, StepReason Emission, StepReason SourceOutput)
{
    public static readonly NetworkRunReasons New = new(StepReason.New, StepReason.New, StepReason.New, StepReason.New);

    public static readonly NetworkRunReasons Cached = new(StepReason.Reused, StepReason.Reused, StepReason.Reused, StepReason.Reused);

    public static readonly NetworkRunReasons Modified = new(StepReason.Modified, StepReason.Modified, StepReason.Modified, StepReason.Modified);

    public static readonly NetworkRunReasons Removed = new(StepReason.Removed, StepReason.Removed, StepReason.Removed, StepReason.Removed);

}

/// <summary>Runs the generator, edits, runs again; and reads what each tracked step did in the last run.</summary>
internal static class Incremental
{
    public const string SourceOutputStep = "SourceOutput";

    /// <summary>The first run over <paramref name="files"/>.</summary>
    public static GeneratorRun Start(params SourceFile[] files) => GeneratorHarness.Run(files);

    /// <summary>Runs again with the driver of <paramref name="previous"/>, which remembers the earlier runs.</summary>
    public static GeneratorRun Rerun(this GeneratorRun previous, CSharpCompilation compilation) => GeneratorHarness.Run(previous.Driver, compilation);

    /// <summary>Replaces an additional file with <paramref name="replacement"/> (same path, new text) and runs again over the same compilation.</summary>
    public static GeneratorRun ReplaceAdditionalText(this GeneratorRun previous, AdditionalText old, AdditionalText replacement)
        => GeneratorHarness.Run(previous.Driver.ReplaceAdditionalText(old, replacement), previous.InputCompilation);

    /// <summary>Edits file <paramref name="path"/> in place (an incremental reparse, as in an editor) and runs again.</summary>
    public static GeneratorRun Edit(this GeneratorRun previous, string path, string oldText, string newText)
    {
        SyntaxTree tree = TreeAt(previous.InputCompilation, path);
        SourceText text = tree.GetText();
        int start = text.ToString().IndexOf(oldText, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{oldText}' is not in {path}.");
        SyntaxTree edited = tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(start, oldText.Length), newText)));
        return previous.Rerun(previous.InputCompilation.ReplaceSyntaxTree(tree, edited));
    }

    public static GeneratorRun AddFile(this GeneratorRun previous, SourceFile file)
        => previous.Rerun(previous.InputCompilation.AddSyntaxTrees(GeneratorHarness.Parse(file)));

    public static GeneratorRun RemoveFile(this GeneratorRun previous, string path)
        => previous.Rerun(previous.InputCompilation.RemoveSyntaxTrees(TreeAt(previous.InputCompilation, path)));

    /// <summary>Asserts what the last run did for the network named <paramref name="networkName"/> at Parse, Model, Emission and SourceOutput.</summary>
    public static void AssertRunReasons(this GeneratorRun run, string networkName, NetworkRunReasons expected)
    {
        GeneratorRunResult result = run.Result;
        AssertReason(TrackingNames.Parse, networkName, expected.Parse,
            OutputsOf(result, TrackingNames.Parse).Where(o => NetworkNameOf(o.Value) == networkName));
        AssertReason(TrackingNames.Model, networkName, expected.Model,
            OutputsOf(result, TrackingNames.Model).Where(o => NetworkNameOf(o.Value) == networkName));
        AssertReason(TrackingNames.Emission, networkName, expected.Emission,
            OutputsOf(result, TrackingNames.Emission).Where(o => NetworkNameOf(o.Value) == networkName));
        AssertReason(SourceOutputStep, networkName, expected.SourceOutput,
            result.TrackedOutputSteps.GetValueOrDefault(SourceOutputStep, [])
                .Where(step => step.Inputs.Any(input => NetworkNameOf(input.Source.Outputs[input.OutputIndex].Value) == networkName))
                .SelectMany(step => step.Outputs));
    }

    /// <summary>The network a step's value is about, whichever step it comes from.</summary>
    private static string? NetworkNameOf(object value) => value switch
    {
        ParsedNetwork { Result.Model: { } model } => model.Type.Name,
        ParsedNetwork { Fallback: { } fallback } => fallback.Type.Name,
        FallbackModel fallback => fallback.Type.Name,
        NetworkModel model => model.Type.Name,
        EmissionModel emission => emission.Network.Type.Name,
        _ => null,
    };

    /// <summary>The reasons of every output of the Diagnostics step in the last run.</summary>
    public static IncrementalStepRunReason[] DiagnosticsReasons(this GeneratorRun run)
        => OutputsOf(run.Result, TrackingNames.Diagnostics).Select(o => o.Reason).ToArray();

    /// <summary>The reasons of every output of the step named <paramref name="stepName"/> in the last run.</summary>
    public static IncrementalStepRunReason[] StepReasons(this GeneratorRun run, string stepName)
        => OutputsOf(run.Result, stepName).Select(o => o.Reason).ToArray();

    /// <summary>The reasons of every output of the Model step in the last run.</summary>
    public static IncrementalStepRunReason[] ModelReasons(this GeneratorRun run)
        => OutputsOf(run.Result, TrackingNames.Model).Select(o => o.Reason).ToArray();

    /// <summary>Asserts that the two runs generated the same files with the same text.</summary>
    public static void AssertSameGeneratedSources(GeneratorRun before, GeneratorRun after)
        => Assert.Equal(
            before.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).OrderBy(s => s.HintName, StringComparer.Ordinal),
            after.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).OrderBy(s => s.HintName, StringComparer.Ordinal));

    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> OutputsOf(GeneratorRunResult result, string stepName)
    {
        Assert.True(result.TrackedSteps.ContainsKey(stepName) || stepName == TrackingNames.Diagnostics,
            $"No tracked step '{stepName}'; the steps are: {string.Join(", ", result.TrackedSteps.Keys)}");
        return result.TrackedSteps.GetValueOrDefault(stepName, []).SelectMany(step => step.Outputs);
    }

    private static void AssertReason(string stepName, string networkName, StepReason expected, IEnumerable<(object Value, IncrementalStepRunReason Reason)> outputs)
    {
        var reasons = outputs.Select(o => o.Reason).ToList();
        Assert.True(reasons.Count > 0, $"Step {stepName} has no output for {networkName}.");
        Assert.True(reasons.All(expected.Matches), $"Step {stepName} for {networkName}: expected {expected.Description}, got {string.Join(", ", reasons)}.");
    }

    private static SyntaxTree TreeAt(Compilation compilation, string path) => compilation.SyntaxTrees.Single(t => t.FilePath == path);
}
