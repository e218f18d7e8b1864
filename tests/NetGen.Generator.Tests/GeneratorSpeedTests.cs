using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// How long the generator takes on a project with 100 networks of mixed sizes (each in its own file, with one
/// unrelated file): a first full run, an incremental run after an edit to the unrelated file (what every keystroke
/// elsewhere costs), and one after an edit to one network. It prints the medians; it asserts only what does not depend
/// on the machine: 100 files generated, no diagnostic, and the same files after each edit.
/// </summary>
/// <remarks>
/// For the figures: <c>dotnet test tests/NetGen.Generator.Tests -c Release --filter FullyQualifiedName~GeneratorSpeedTests --logger "console;verbosity=detailed"</c>
/// (alone, so that no other test shares the cores).
/// </remarks>
public class GeneratorSpeedTests(ITestOutputHelper output)
{
    private const int NetworkCount = 100;
    private const int Runs = 7;

    [Fact]
    public void HundredNetworks()
    {
        var parseOptions = GeneratorHarness.ParseOptions;
        SyntaxTree[] networks = Enumerable.Range(0, NetworkCount)
            .Select(i => CSharpSyntaxTree.ParseText(SourceText.From(Network(i), Encoding.UTF8), parseOptions, $"Net{i:D3}.cs"))
            .ToArray();
        SyntaxTree unrelated = CSharpSyntaxTree.ParseText(SourceText.From(Unrelated, Encoding.UTF8), parseOptions, "Unrelated.cs");
        var empty = CSharpCompilation.Create("Speed", [], GeneratorHarness.References, GeneratorHarness.CompilationOptions);
        _ = empty.GetSpecialType(SpecialType.System_Object); // the framework's references bound once, before any timing

        var full = new List<double>();
        var generatorOnly = new List<double>();
        GeneratorDriver? afterFullRun = null;
        CSharpCompilation? compilation = null;
        for (int run = 0; run <= Runs; run++)
        {
            // A new compilation each time (new symbols, nothing bound in the user's code) and a new driver.
            compilation = empty.AddSyntaxTrees([.. networks, unrelated]);
            GeneratorDriver driver = CreateDriver();
            long start = Stopwatch.GetTimestamp();
            driver = driver.RunGenerators(compilation);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            AssertAllGenerated(driver);
            if (run > 0) // run 0 warms up the JIT
            {
                full.Add(elapsed.TotalMilliseconds);
                generatorOnly.Add(driver.GetTimingInfo().ElapsedTime.TotalMilliseconds);
            }
            afterFullRun = driver;
        }

        var unrelatedEdit = MeasureEdits(afterFullRun!, compilation!, unrelated, "return 0;", n => $"return {n};");
        SyntaxTree firstNetwork = networks[0];
        var networkEdit = MeasureEdits(afterFullRun!, compilation!, firstNetwork, "UnrollThreshold = 64", n => $"UnrollThreshold = {65 + n}");

        // Where the time goes, from one more run of each kind with the pipeline's steps tracked (which costs a little).
        GeneratorDriver tracked = CreateDriver(track: true).RunGenerators(empty.AddSyntaxTrees([.. networks, unrelated]));
        string fullSteps = StepTimes(tracked.GetRunResult());
        SourceText unrelatedText = unrelated.GetText();
        int returnZero = unrelatedText.ToString().IndexOf("return 0;", StringComparison.Ordinal);
        CSharpCompilation editedUnrelated = compilation!.ReplaceSyntaxTree(unrelated, unrelated.WithChangedText(unrelatedText.WithChanges(new TextChange(new TextSpan(returnZero, 9), "return 42;"))));
        string incrementalSteps = StepTimes(tracked.RunGenerators(editedUnrelated).GetRunResult());

        output.WriteLine($"{NetworkCount} networks ({networks.Sum(t => t.Length)} characters of declarations), median of {Runs} runs on {Environment.ProcessorCount} cores:");
        output.WriteLine($"  first full run:                {Median(full),8:F1} ms  = {Median(full) / NetworkCount,6:F2} ms per network (driver's own timing {Median(generatorOnly):F1} ms)");
        output.WriteLine($"  after an unrelated edit:       {Median(unrelatedEdit),8:F2} ms  = {Median(unrelatedEdit) * 1000 / NetworkCount,6:F1} us per network");
        output.WriteLine($"  after an edit to one network:  {Median(networkEdit),8:F2} ms");
        output.WriteLine($"  steps of a full run (ms):             {fullSteps}");
        output.WriteLine($"  steps after an unrelated edit (ms):   {incrementalSteps}");
    }

    /// <summary>Runs the driver that has done the full run again, each time after a different edit of <paramref name="tree"/>.</summary>
    private List<double> MeasureEdits(GeneratorDriver afterFullRun, CSharpCompilation compilation, SyntaxTree tree, string oldText, Func<int, string> newText)
    {
        var times = new List<double>();
        GeneratorDriverRunResult before = afterFullRun.GetRunResult();
        for (int run = 0; run <= Runs; run++)
        {
            SourceText text = tree.GetText();
            int position = text.ToString().IndexOf(oldText, StringComparison.Ordinal);
            Assert.True(position >= 0, $"'{oldText}' is not in {tree.FilePath}");
            SyntaxTree edited = tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(position, oldText.Length), newText(run))));
            CSharpCompilation next = compilation.ReplaceSyntaxTree(tree, edited);

            long start = Stopwatch.GetTimestamp();
            GeneratorDriver driver = afterFullRun.RunGenerators(next);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);

            AssertAllGenerated(driver);
            if (tree.FilePath == "Unrelated.cs")
            {
                // Nothing about any network changed: the very same texts come out.
                Assert.Equal(
                    before.GeneratedTrees.Select(t => t.GetText().ToString()),
                    driver.GetRunResult().GeneratedTrees.Select(t => t.GetText().ToString()));
            }
            if (run > 0)
            {
                times.Add(elapsed.TotalMilliseconds);
            }
        }
        return times;
    }

    private static GeneratorDriver CreateDriver(bool track = false)
        => CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            parseOptions: GeneratorHarness.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    /// <summary>The time of each tracked step (summed over the networks) and of the source outputs.</summary>
    private static string StepTimes(GeneratorDriverRunResult result)
    {
        GeneratorRunResult run = result.Results[0];
        return string.Join(", ", run.TrackedSteps.Concat(run.TrackedOutputSteps.Where(step => !run.TrackedSteps.ContainsKey(step.Key)))
            .Select(step => (step.Key, Milliseconds: step.Value.Sum(s => s.ElapsedTime.TotalMilliseconds)))
            .Where(step => step.Milliseconds >= 0.05)
            .OrderByDescending(step => step.Milliseconds)
            .Select(step => $"{step.Key} {step.Milliseconds:F1}"));
    }

    private static void AssertAllGenerated(GeneratorDriver driver)
    {
        GeneratorDriverRunResult result = driver.GetRunResult();
        Assert.Null(result.Results[0].Exception);
        Assert.True(result.Diagnostics.IsEmpty, GeneratorRun.Format(result.Diagnostics));
        Assert.Equal(NetworkCount, result.GeneratedTrees.Length);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private const string Unrelated = """
        namespace Speed;

        /// <summary>Code that has nothing to do with the networks.</summary>
        public static class Unrelated
        {
            /// <summary>A value.</summary>
            public static int Value()
            {
                return 0;
            }
        }
        """;

    /// <summary>
    /// Network <paramref name="index"/>: 1 to 4 layers, 2 to 256 inputs, 4 to 128 hidden units (so both unrolled and
    /// SIMD layers), dropout on some hidden layers, and an output layer with a loss that fits it. Deterministic.
    /// </summary>
    private static string Network(int index)
    {
        var random = new Random(1000 + index);
        int[] inputs = [2, 3, 4, 8, 16, 20, 32, 64, 100, 256];
        int[] hidden = [4, 6, 8, 16, 32, 33, 64, 128];
        string[] hiddenActivations = ["Tanh", "ReLU", "Sigmoid", "Identity"];
        int hiddenLayers = random.Next(4);
        var (units, activation, loss) = random.Next(3) switch
        {
            0 => (random.Next(1, 4), "Sigmoid", "BinaryCrossEntropy"),
            1 => (new[] { 2, 3, 10 }[random.Next(3)], "Softmax", "CrossEntropy"),
            _ => (random.Next(1, 5), "Identity", "MeanSquaredError"),
        };
        var text = new StringBuilder();
        text.AppendLine("using NetGen;");
        text.AppendLine();
        text.AppendLine("namespace Speed;");
        text.AppendLine();
        text.AppendLine($"/// <summary>Network {index}.</summary>");
        text.AppendLine($"[Network(Loss = Loss.{loss}, UnrollThreshold = 64)]");
        text.AppendLine($"[Input({inputs[random.Next(inputs.Length)]})]");
        for (int layer = 0; layer < hiddenLayers; layer++)
        {
            string dropout = random.Next(4) == 0 ? ", Dropout = 0.25f" : "";
            text.AppendLine($"[Dense({hidden[random.Next(hidden.Length)]}, Activation.{hiddenActivations[random.Next(hiddenActivations.Length)]}{dropout})]");
        }
        text.AppendLine($"[Dense({units}, Activation.{activation})]");
        text.AppendLine($"public partial class Net{index:D3};");
        return text.ToString();
    }
}
