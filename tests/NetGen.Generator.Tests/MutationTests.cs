using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// Robustness: the valid declarations of <see cref="Declarations"/>, mutated the way a declaration looks while it is
/// being typed or after a bad edit (a token deleted, an argument dropped or of the wrong type, numbers that are 0,
/// negative or huge, unbalanced brackets, truncated text, duplicated attributes, enum values cast from any integer,
/// wrong modifiers), thousands of times with fixed seeds. For every case the generator must not throw, and every error
/// of the compilation that includes the generated code must be located in the user's own file: NetGen reports what is
/// wrong (or the compiler does), never a generated file.
/// </summary>
/// <remarks>
/// All failures are collected and reported at once, grouped by what went wrong: the case numbers of each group, and for
/// the first two the mutations, the exception or errors and the full input text, which replays as a plain
/// <c>GeneratorHarness.Run(text)</c>. The run prints what it covered (ITestOutputHelper: run with
/// <c>--logger "console;verbosity=detailed"</c> to see it).
/// </remarks>
public class MutationTests(ITestOutputHelper output)
{
    /// <summary>Distinct mutated inputs; each is parsed once and run through a fresh driver.</summary>
    private const int CaseCount = 2400;

    private const int Seed = 4_2024;

    [Fact]
    public void GeneratorNeverThrowsAndNeverEmitsCodeThatFailsToCompile()
    {
        var total = Stopwatch.StartNew();
        IReadOnlyList<MutationCase> cases = Mutator.Generate(CaseCount, Seed);
        Assert.Equal(CaseCount, cases.Count);

        var outcomes = new CaseOutcome[cases.Count];
        Parallel.For(0, cases.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            long start = Stopwatch.GetTimestamp();
            outcomes[i] = Check(cases[i]) with { Elapsed = Stopwatch.GetElapsedTime(start) };
        });
        total.Stop();

        var failures = outcomes.Where(o => o.Problem is not null).ToList();
        output.WriteLine($"{cases.Count} mutated declarations from {Declarations.AllNames.Length} valid ones (seed {Seed}) in {total.Elapsed.TotalSeconds:F1} s on {Environment.ProcessorCount} cores:");
        output.WriteLine($"  {outcomes.Count(o => o.GeneratedFiles > 0)} generated code (compiled and checked), {outcomes.Count(o => o.GeneratedFiles == 0 && o.NetGenErrors > 0)} got a NetGen error and nothing generated, {outcomes.Count(o => o.GeneratedFiles == 0 && o.NetGenErrors == 0)} neither (the compiler's errors only, or not a network any more)");
        output.WriteLine($"  NetGen diagnostics seen: {string.Join(", ", outcomes.SelectMany(o => o.NetGenIds).GroupBy(id => id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"))}");
        output.WriteLine($"  mutations applied: {string.Join(", ", cases.SelectMany(c => c.Mutations).GroupBy(m => m.Split(':')[0]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"))}");
        output.WriteLine($"  time per case: {outcomes.Where(o => o.GeneratedFiles > 0).Average(o => o.Elapsed.TotalMilliseconds):F1} ms with code to compile, {outcomes.Where(o => o.GeneratedFiles == 0).Average(o => o.Elapsed.TotalMilliseconds):F1} ms without");
        foreach (CaseOutcome slow in outcomes.OrderByDescending(o => o.Elapsed).Take(3))
        {
            output.WriteLine($"  slowest: case {slow.Case.Id} ({slow.Case.SeedName}; {string.Join("; ", slow.Case.Mutations)}) {slow.Elapsed.TotalMilliseconds:F0} ms");
        }
        output.WriteLine($"  failures: {failures.Count}");
        if (failures.Count > 0)
        {
            string report = Report(failures);
            output.WriteLine(report);
            Assert.Fail(report);
        }
    }

    /// <summary>
    /// The generator tests' parse options without what only ever produces warnings: documentation comments are not
    /// checked, and nullable analysis does not run (Roslyn's "run-nullable-analysis" feature). Only errors are looked at
    /// here, and the two took nearly half of the time of compiling the generated code.
    /// </summary>
    private static readonly CSharpParseOptions s_parseOptions = GeneratorHarness.ParseOptions
        .WithDocumentationMode(DocumentationMode.None)
        .WithFeatures([new("run-nullable-analysis", "never")]);

    /// <summary>The compilation every case adds its one tree to, so that the framework's references are bound once, not per case.</summary>
    private static readonly Lazy<CSharpCompilation> s_empty = new(() =>
    {
        var empty = CSharpCompilation.Create("Mutant", [], GeneratorHarness.References, GeneratorHarness.CompilationOptions);
        _ = empty.GetSpecialType(SpecialType.System_Object);
        return empty;
    });

    /// <summary>
    /// The smallest inputs for what the mutations found, each with what goes wrong today. The same check as for every
    /// mutated case: no exception, no error outside the user's file.
    /// </summary>
    [Theory]
    [InlineData("missing class name", "[Network] [Input(2)] [Dense(1, Activation.Sigmoid)] public partial class ;")]
    [InlineData("missing namespace name", "namespace .Nested { [Network] [Input(2)] [Dense(1, Activation.Sigmoid)] public partial class N; }")]
    [InlineData("scratch size overflows, checked", "[Network] [Input(3)] [Dense(158, Activation.ReLU)] [Dense(int.MaxValue, Activation.Sigmoid)] public partial class N;")]
    [InlineData("parameter count overflows", "[Network] [Input(3)] [Dense(int.MaxValue, Activation.Sigmoid)] public partial class N;")]
    [InlineData("input size makes the weight count overflow", "[Network] [Input(2)] [Dense(1073741824, Activation.Sigmoid)] public partial class N;")]
    public void FoundByMutation(string description, string declaration)
    {
        CaseOutcome outcome = Check(new MutationCase(0, description, [description], "using NetGen;\n\n" + declaration + "\n"));

        Assert.True(outcome.Problem is null, outcome.Problem + "\n" + outcome.Details);
    }

    /// <summary>Runs the generator over one case; the problem, if any, says what went wrong.</summary>
    private static CaseOutcome Check(MutationCase mutationCase)
    {
        try
        {
            SyntaxTree tree = CSharpSyntaxTree.ParseText(SourceText.From(mutationCase.Text, Encoding.UTF8), s_parseOptions, "Source0.cs");
            // Derived from one compilation whose references are bound already: only the syntax tree is new.
            CSharpCompilation compilation = s_empty.Value.AddSyntaxTrees(tree);
            GeneratorDriver driver = CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], parseOptions: s_parseOptions);
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation outputCompilation, out var generatorDiagnostics);
            GeneratorRunResult result = driver.GetRunResult().Results[0];

            var netGenIds = generatorDiagnostics.Where(d => d.Id.StartsWith("NG", StringComparison.Ordinal)).Select(d => d.Id).ToArray();
            int netGenErrors = generatorDiagnostics.Count(d => d.Id.StartsWith("NG", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error);
            var outcome = new CaseOutcome(mutationCase, result.GeneratedSources.Length, netGenErrors, netGenIds);

            if (result.Exception is { } exception)
            {
                return outcome.Failed("generator threw " + exception.GetType().Name + ": " + FirstLine(exception.Message), Describe(exception));
            }
            var crashes = generatorDiagnostics.Where(d => d.Id is "CS8784" or "CS8785").ToList();
            if (crashes.Count > 0)
            {
                return outcome.Failed("generator failed (" + crashes[0].Id + ")", GeneratorRun.Format(crashes));
            }
            if (result.GeneratedSources.Length == 0)
            {
                // Nothing generated: the output is the input compilation, whose one tree is the user's.
                return outcome;
            }

            var misplaced = outputCompilation.GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree != tree)
                .ToList();
            if (misplaced.Count > 0)
            {
                string where = misplaced[0].Location.SourceTree is { } other ? Path.GetFileName(other.FilePath) : "no location";
                return outcome.Failed($"error {misplaced[0].Id} in {(misplaced[0].Location.SourceTree is null ? "no file" : "a generated file")}",
                    $"{misplaced.Count} error(s) outside the user's file, the first in {where}:\n" + GeneratorRun.Format(misplaced.Take(5)));
            }
            return outcome;
        }
        catch (Exception exception)
        {
            return new CaseOutcome(mutationCase, 0, 0, []).Failed("the test harness threw " + exception.GetType().Name, Describe(exception));
        }
    }

    private static string Report(List<CaseOutcome> failures)
    {
        var report = new StringBuilder();
        var groups = failures.GroupBy(f => f.Problem!).OrderByDescending(g => g.Count()).ToList();
        report.AppendLine($"{failures.Count} of {CaseCount} mutated declarations broke the generator's promise, {groups.Count} distinct problem(s):");
        foreach (var group in groups)
        {
            report.AppendLine();
            report.AppendLine($"== {group.Key}: {group.Count()} case(s), e.g. {string.Join(", ", group.Take(10).Select(f => f.Case.Id))}");
            foreach (CaseOutcome failure in group.Take(2))
            {
                report.AppendLine($"-- case {failure.Case.Id}, from {failure.Case.SeedName} by {string.Join("; ", failure.Case.Mutations)}");
                report.AppendLine(failure.Details);
                report.AppendLine("-- input:");
                report.AppendLine(failure.Case.Text);
            }
        }
        return report.ToString();
    }

    private static string Describe(Exception exception)
    {
        string trace = string.Join("\n", (exception.StackTrace ?? "").Split('\n').Take(8));
        return $"{exception.GetType().FullName}: {exception.Message}\n{trace}" + (exception.InnerException is { } inner ? "\n  inner: " + inner.GetType().FullName + ": " + inner.Message : "");
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private sealed record CaseOutcome(MutationCase Case, int GeneratedFiles, int NetGenErrors, string[] NetGenIds)
    {
        public string? Problem { get; init; }

        public string? Details { get; init; }

        public TimeSpan Elapsed { get; init; }

        public CaseOutcome Failed(string problem, string details) => this with { Problem = problem, Details = details };
    }
}

/// <summary>One mutated declaration: which valid one it came from, what was done to it, and the text.</summary>
internal sealed record MutationCase(int Id, string SeedName, IReadOnlyList<string> Mutations, string Text);

/// <summary>
/// Makes mutated declarations from the valid ones, deterministically: case <c>n</c> uses its own generator seeded from
/// the run's seed and <c>n</c>, so the same seed always gives the same cases. The mutations work on the text with a
/// small lexer (tokens, attributes and their arguments found by matching brackets), so they still apply to text that
/// an earlier mutation left unparseable.
/// </summary>
internal static class Mutator
{
    private static readonly Regex TokenPattern = new(
        @"//[^\n]*|/\*[\s\S]*?\*/|""(?:[^""\\\n]|\\.)*""|@?[A-Za-z_][A-Za-z0-9_]*|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?[fFdDmMuUlL]*|\S",
        RegexOptions.Compiled);

    private static readonly Regex EnumMemberPattern = new(@"\b(?:NetGen\s*\.\s*)?(Activation|Loss)\s*\.\s*[A-Za-z_]\w*", RegexOptions.Compiled);

    private static readonly Regex AttributeNamePattern = new(@"\b(Network|Input|Dense|LossFunction)(?:Attribute)?\b", RegexOptions.Compiled);

    private static readonly Regex ClassDeclarationPattern = new(@"\b((?:partial\s+)?)class\s+(@?\w+)", RegexOptions.Compiled);

    private static readonly string[] Integers =
    [
        "0", "-1", "-2", "1", "2", "3", "7", "10", "33", "64", "65", "100", "1000", "4096", "32768", "32769", "46341",
        "65536", "100000", "1000000", "2147483647", "-2147483648", "int.MaxValue", "int.MinValue", "0x7fffffff", "1_000_000",
        "-0", "(2)", "1 + 1", "2 * 1000000", "1L", "2u", "(byte)3", "'a'",
    ];

    private static readonly string[] Floats =
    [
        "0f", "-0f", "-0.5f", "0.5f", "1f", "1.5f", "0.99999994f", "float.NaN", "float.PositiveInfinity", "float.NegativeInfinity",
        "float.Epsilon", "1e30f", "-1e-30f", "0.5", "1", "0", "2",
    ];

    private static readonly string[] OtherValues =
    [
        "\"2\"", "\"\"", "null", "true", "false", "'x'", "2.5f", "2.5", "2.5m", "typeof(int)", "default", "new int[0]",
        "nameof(System.Int32)", "Activation.Tanh", "Loss.CrossEntropy", "Activation.Softmax", "int.MaxValue", "System.Math.PI",
        "LayerKind.Dense", "(Activation)2", "(Loss)1", "x", "@class", "2L", "units: 3", "activation: Activation.ReLU", "size: 4",
        "Loss = Loss.CrossEntropy", "Dropout = 0.5f", "UnrollThreshold = 0", "Weights = \"w.bin\"",
    ];

    private static readonly string[] EnumCasts = ["-1", "0", "1", "2", "3", "4", "5", "6", "7", "42", "255", "int.MaxValue", "int.MinValue"];

    private static readonly string[] EnumMembers =
    [
        "Activation.Identity", "Activation.Step", "Activation.Sigmoid", "Activation.Tanh", "Activation.ReLU", "Activation.Softmax",
        "Loss.MeanSquaredError", "Loss.BinaryCrossEntropy", "Loss.CrossEntropy", "Loss.Custom", "Activation.Gelu", "Loss.Huber",
        "Loss.Tanh", "Activation.CrossEntropy", "LayerKind.Dense",
    ];

    private static readonly string[] NamedArguments =
    [
        "Loss = Loss.Custom", "Loss = (Loss)7", "Loss = (Loss)(-1)", "Loss = Loss.CrossEntropy", "Loss = Loss.BinaryCrossEntropy",
        "UnrollThreshold = -1", "UnrollThreshold = 0", "UnrollThreshold = 2147483647", "UnrollThreshold = 100000",
        "Weights = \"w.bin\"", "Weights = \"\"", "Weights = null", "Dropout = 0.5f", "Dropout = 1f", "Dropout = -0.1f",
        "Dropout = float.NaN", "Size = 3", "Loss = 2",
    ];

    private static readonly string[] Junk = ["[", "]", "(", ")", "{", "}", ",", ";", "=", ".", "\"", "'", "#", "@", "<", ">", "?", ":", "/*", "//", "\n"];

    private static readonly string[] Modifiers = ["static ", "abstract ", "sealed ", "file ", "unsafe ", "new ", "readonly ", "ref ", "async ", "public "];

    private static readonly string[] TypeKeywords = ["struct", "record", "record struct", "interface", "enum", "record class", "delegate void", "class class"];

    private delegate string? Mutation(string text, Random random, out string description);

    private static readonly (string Name, int Weight, Mutation Apply)[] Mutations =
    [
        ("DeleteToken", 6, DeleteToken),
        ("DeleteAttributeToken", 8, DeleteAttributeToken),
        ("DropArgument", 6, DropArgument),
        ("SwapArguments", 4, SwapArguments),
        ("ArgumentOfOtherType", 6, ArgumentOfOtherType),
        ("Number", 10, ReplaceNumber),
        ("EnumCast", 6, EnumCast),
        ("EnumMember", 4, OtherEnumMember),
        ("AddNamedArgument", 5, AddNamedArgument),
        ("InsertBracket", 5, InsertJunk),
        ("DeleteBracket", 4, DeleteBracket),
        ("Truncate", 4, Truncate),
        ("DuplicateAttribute", 5, DuplicateAttribute),
        ("DuplicateAttributeLine", 3, DuplicateAttributeLine),
        ("SwapAttributeLines", 3, SwapAttributeLines),
        ("Modifier", 5, ChangeModifiers),
        ("SwapTokens", 3, SwapAdjacentTokens),
    ];

    public static IReadOnlyList<MutationCase> Generate(int count, int seed)
    {
        int totalWeight = Mutations.Sum(m => m.Weight);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var cases = new List<MutationCase>(count);
        for (int attempt = 0; cases.Count < count; attempt++)
        {
            Assert.True(attempt < count * 20, "The mutations keep giving texts seen before.");
            var random = new Random(unchecked(seed * 7919 + attempt));
            string seedName = Declarations.AllNames[attempt % Declarations.AllNames.Length];
            string text = Declarations.ByName(seedName);
            // Mostly one mutation (a single slip), sometimes two or three on top of each other.
            int mutationCount = random.Next(10) switch { < 6 => 1, < 9 => 2, _ => 3 };
            var applied = new List<string>();
            for (int i = 0; i < mutationCount; i++)
            {
                for (int tries = 0; tries < 10; tries++)
                {
                    int pick = random.Next(totalWeight);
                    var mutation = Mutations.First(m => (pick -= m.Weight) < 0);
                    if (mutation.Apply(text, random, out string description) is { } mutated && mutated != text)
                    {
                        text = mutated;
                        applied.Add(mutation.Name + ": " + description);
                        break;
                    }
                }
            }
            if (applied.Count > 0 && seen.Add(text))
            {
                cases.Add(new MutationCase(attempt, seedName, applied, text));
            }
        }
        return cases;
    }

    // ---- The mutations. Each returns the new text, or null when it does not apply to this text. ----

    private static string? DeleteToken(string text, Random random, out string description)
    {
        var tokens = Tokens(text).Where(t => !t.Value.StartsWith("//", StringComparison.Ordinal)).ToList();
        Match token = tokens[random.Next(tokens.Count)];
        description = $"deleted '{token.Value}' at {token.Index}";
        return text.Remove(token.Index, token.Length);
    }

    private static string? DeleteAttributeToken(string text, Random random, out string description)
    {
        var spans = AttributeListSpans(text);
        var tokens = Tokens(text).Where(t => spans.Any(s => s.Contains(t.Index))).ToList();
        if (tokens.Count == 0)
        {
            description = "";
            return null;
        }
        Match token = tokens[random.Next(tokens.Count)];
        description = $"deleted '{token.Value}' at {token.Index}";
        return text.Remove(token.Index, token.Length);
    }

    private static string? DropArgument(string text, Random random, out string description)
    {
        var arguments = Attributes(text).SelectMany(a => a.Arguments.Select((span, i) => (Attribute: a, Span: span, Index: i))).ToList();
        if (arguments.Count == 0)
        {
            description = "";
            return null;
        }
        var (attribute, span, index) = arguments[random.Next(arguments.Count)];
        description = $"dropped '{text.Substring(span.Start, span.Length)}' from {attribute.Name}";
        // Take the comma with it: the one before, or the one after for a first argument.
        TextSpan removed = index > 0
            ? TextSpan.FromBounds(attribute.Arguments[index - 1].End, span.End)
            : attribute.Arguments.Count > 1 ? TextSpan.FromBounds(span.Start, attribute.Arguments[1].Start) : span;
        return text.Remove(removed.Start, removed.Length);
    }

    private static string? SwapArguments(string text, Random random, out string description)
    {
        var candidates = Attributes(text).Where(a => a.Arguments.Count >= 2).ToList();
        if (candidates.Count == 0)
        {
            description = "";
            return null;
        }
        AttributeInfo attribute = candidates[random.Next(candidates.Count)];
        int first = random.Next(attribute.Arguments.Count - 1);
        int second = first + 1 + random.Next(attribute.Arguments.Count - first - 1);
        TextSpan a = attribute.Arguments[first], b = attribute.Arguments[second];
        string textA = text.Substring(a.Start, a.Length), textB = text.Substring(b.Start, b.Length);
        description = $"swapped '{textA}' and '{textB}' in {attribute.Name}";
        return text[..a.Start] + textB + text[a.End..b.Start] + textA + text[b.End..];
    }

    private static string? ArgumentOfOtherType(string text, Random random, out string description)
    {
        var arguments = Attributes(text).SelectMany(a => a.Arguments.Select(span => (Attribute: a, Span: span))).ToList();
        if (arguments.Count == 0)
        {
            description = "";
            return null;
        }
        var (attribute, span) = arguments[random.Next(arguments.Count)];
        string original = text.Substring(span.Start, span.Length);
        // A named argument keeps its name and gets a value of another type; a positional one is replaced whole.
        int equals = original.IndexOf('=', StringComparison.Ordinal);
        string value = OtherValues[random.Next(OtherValues.Length)];
        string replacement = equals > 0 && !value.Contains('=', StringComparison.Ordinal) ? original[..(equals + 1)] + " " + value : value;
        description = $"'{original}' -> '{replacement}' in {attribute.Name}";
        return text.Remove(span.Start, span.Length).Insert(span.Start, replacement);
    }

    private static string? ReplaceNumber(string text, Random random, out string description)
    {
        var numbers = Tokens(text).Where(t => char.IsAsciiDigit(t.Value[0])).ToList();
        if (numbers.Count == 0)
        {
            description = "";
            return null;
        }
        Match number = numbers[random.Next(numbers.Count)];
        bool isFloat = number.Value.Contains('.', StringComparison.Ordinal) || number.Value.EndsWith('f');
        string replacement = random.Next(5) == 0
            ? random.Next(-3, 300).ToString(CultureInfo.InvariantCulture) + (isFloat ? "f" : "")
            : isFloat ? Floats[random.Next(Floats.Length)] : Integers[random.Next(Integers.Length)];
        description = $"'{number.Value}' -> '{replacement}' at {number.Index}";
        return text.Remove(number.Index, number.Length).Insert(number.Index, replacement);
    }

    private static string? EnumCast(string text, Random random, out string description)
    {
        var members = EnumMemberPattern.Matches(text).ToList();
        if (members.Count == 0)
        {
            description = "";
            return null;
        }
        Match member = members[random.Next(members.Count)];
        string value = EnumCasts[random.Next(EnumCasts.Length)];
        string enumName = random.Next(6) == 0 ? (member.Groups[1].Value == "Loss" ? "Activation" : "Loss") : member.Groups[1].Value;
        string replacement = value.StartsWith('-') ? $"({enumName})({value})" : $"({enumName}){value}";
        description = $"'{member.Value}' -> '{replacement}'";
        return text.Remove(member.Index, member.Length).Insert(member.Index, replacement);
    }

    private static string? OtherEnumMember(string text, Random random, out string description)
    {
        var members = EnumMemberPattern.Matches(text).ToList();
        if (members.Count == 0)
        {
            description = "";
            return null;
        }
        Match member = members[random.Next(members.Count)];
        string replacement = EnumMembers[random.Next(EnumMembers.Length)];
        description = $"'{member.Value}' -> '{replacement}'";
        return text.Remove(member.Index, member.Length).Insert(member.Index, replacement);
    }

    private static string? AddNamedArgument(string text, Random random, out string description)
    {
        var attributes = Attributes(text).Where(a => a.Name is "Network" or "Dense" or "Input").ToList();
        if (attributes.Count == 0)
        {
            description = "";
            return null;
        }
        AttributeInfo attribute = attributes[random.Next(attributes.Count)];
        string argument = NamedArguments[random.Next(NamedArguments.Length)];
        description = $"added '{argument}' to {attribute.Name}";
        if (attribute.OpenParen < 0)
        {
            return text.Insert(attribute.NameSpan.End, "(" + argument + ")");
        }
        if (attribute.CloseParen < 0)
        {
            return null;
        }
        return text.Insert(attribute.CloseParen, (attribute.Arguments.Count > 0 ? ", " : "") + argument);
    }

    private static string? InsertJunk(string text, Random random, out string description)
    {
        // Mostly inside the attributes, where the parser's recovery matters to NetGen.
        var spans = AttributeListSpans(text);
        int position = random.Next(10) < 7 && spans.Count > 0
            ? spans[random.Next(spans.Count)] is var span ? span.Start + random.Next(span.Length + 1) : 0
            : random.Next(text.Length + 1);
        string junk = Junk[random.Next(Junk.Length)];
        description = $"inserted '{junk.Replace("\n", "\\n", StringComparison.Ordinal)}' at {position}";
        return text.Insert(position, junk);
    }

    private static string? DeleteBracket(string text, Random random, out string description)
    {
        var brackets = Enumerable.Range(0, text.Length).Where(i => "[](){}<>".Contains(text[i], StringComparison.Ordinal)).ToList();
        if (brackets.Count == 0)
        {
            description = "";
            return null;
        }
        int position = brackets[random.Next(brackets.Count)];
        description = $"deleted '{text[position]}' at {position}";
        return text.Remove(position, 1);
    }

    private static string? Truncate(string text, Random random, out string description)
    {
        int length = 1 + random.Next(text.Length - 1);
        description = $"cut after {length} of {text.Length} characters";
        return text[..length];
    }

    private static string? DuplicateAttribute(string text, Random random, out string description)
    {
        var attributes = Attributes(text).Where(a => a.CloseParen >= 0 || a.OpenParen < 0).ToList();
        if (attributes.Count == 0)
        {
            description = "";
            return null;
        }
        AttributeInfo attribute = attributes[random.Next(attributes.Count)];
        int end = attribute.CloseParen >= 0 ? attribute.CloseParen + 1 : attribute.NameSpan.End;
        string whole = text[attribute.NameSpan.Start..end];
        description = $"duplicated '{whole}' in its list";
        return text.Insert(end, ", " + whole);
    }

    private static string? DuplicateAttributeLine(string text, Random random, out string description)
    {
        var lines = AttributeLines(text);
        if (lines.Count == 0)
        {
            description = "";
            return null;
        }
        TextSpan line = lines[random.Next(lines.Count)];
        string copy = text.Substring(line.Start, line.Length);
        description = $"duplicated the line '{copy.Trim()}'";
        return text.Insert(line.End, copy);
    }

    private static string? SwapAttributeLines(string text, Random random, out string description)
    {
        var lines = AttributeLines(text);
        if (lines.Count < 2)
        {
            description = "";
            return null;
        }
        int first = random.Next(lines.Count - 1);
        int second = first + 1 + random.Next(lines.Count - first - 1);
        TextSpan a = lines[first], b = lines[second];
        string textA = text.Substring(a.Start, a.Length), textB = text.Substring(b.Start, b.Length);
        description = $"swapped the lines '{textA.Trim()}' and '{textB.Trim()}'";
        return text[..a.Start] + textB + text[a.End..b.Start] + textA + text[b.End..];
    }

    private static string? ChangeModifiers(string text, Random random, out string description)
    {
        var declarations = ClassDeclarationPattern.Matches(text).ToList();
        if (declarations.Count == 0)
        {
            description = "";
            return null;
        }
        Match declaration = declarations[random.Next(declarations.Count)];
        Group partial = declaration.Groups[1], name = declaration.Groups[2];
        int classKeyword = declaration.Index + partial.Length;
        switch (random.Next(5))
        {
            case 0 when partial.Length > 0:
                description = $"removed 'partial' from {name.Value}";
                return text.Remove(partial.Index, partial.Length);
            case 1:
                string modifier = Modifiers[random.Next(Modifiers.Length)];
                description = $"added '{modifier.Trim()}' to {name.Value}";
                return text.Insert(declaration.Index, modifier);
            case 2:
                string keyword = TypeKeywords[random.Next(TypeKeywords.Length)];
                description = $"'class' -> '{keyword}' for {name.Value}";
                return text.Remove(classKeyword, "class".Length).Insert(classKeyword, keyword);
            case 3:
                string[] parameters = ["<T>", "<T, U>", "<>", "<int>"];
                string typeParameters = parameters[random.Next(parameters.Length)];
                description = $"'{name.Value}' -> '{name.Value}{typeParameters}'";
                return text.Insert(name.Index + name.Length, typeParameters);
            default:
                string[] names = ["@event", "Kernels", "Loss", "Activation", "Predict", "Layers", "_", "NetGen", "System", "@class"];
                string newName = names[random.Next(names.Length)];
                description = $"renamed '{name.Value}' to '{newName}'";
                return text.Remove(name.Index, name.Length).Insert(name.Index, newName);
        }
    }

    private static string? SwapAdjacentTokens(string text, Random random, out string description)
    {
        var spans = AttributeListSpans(text);
        var tokens = Tokens(text).ToList();
        var candidates = Enumerable.Range(0, tokens.Count - 1).Where(i => spans.Any(s => s.Contains(tokens[i].Index))).ToList();
        if (candidates.Count == 0)
        {
            description = "";
            return null;
        }
        int index = candidates[random.Next(candidates.Count)];
        Match a = tokens[index], b = tokens[index + 1];
        description = $"swapped '{a.Value}' and '{b.Value}'";
        return text[..a.Index] + b.Value + text[(a.Index + a.Length)..b.Index] + a.Value + text[(b.Index + b.Length)..];
    }

    // ---- A small lexer over possibly broken text. ----

    private static IEnumerable<Match> Tokens(string text) => TokenPattern.Matches(text);

    /// <summary>An attribute found in the text: its name, its parentheses (-1 when missing) and its arguments' spans (trimmed).</summary>
    private sealed record AttributeInfo(string Name, TextSpan NameSpan, int OpenParen, int CloseParen, List<TextSpan> Arguments);

    /// <summary>The NetGen attributes: a name inside square brackets, with its argument list if it has one.</summary>
    private static List<AttributeInfo> Attributes(string text)
    {
        var spans = AttributeListSpans(text);
        var attributes = new List<AttributeInfo>();
        foreach (Match name in AttributeNamePattern.Matches(text))
        {
            if (!spans.Any(s => s.Contains(name.Index)))
            {
                continue;
            }
            int position = name.Index + name.Length;
            while (position < text.Length && text[position] == ' ')
            {
                position++;
            }
            if (position >= text.Length || text[position] != '(')
            {
                attributes.Add(new AttributeInfo(name.Groups[1].Value, new TextSpan(name.Index, name.Length), -1, -1, []));
                continue;
            }
            int open = position, depth = 0, argumentStart = open + 1, close = -1;
            var arguments = new List<TextSpan>();
            for (int i = open; i < text.Length && close < 0; i++)
            {
                switch (text[i])
                {
                    case '(' or '[' or '{':
                        depth++;
                        break;
                    case ')' or ']' or '}':
                        depth--;
                        if (depth == 0)
                        {
                            close = i;
                            AddArgument(argumentStart, i);
                        }
                        else if (depth < 0)
                        {
                            i = text.Length; // unbalanced: give up on this attribute's argument list
                        }
                        break;
                    case ',' when depth == 1:
                        AddArgument(argumentStart, i);
                        argumentStart = i + 1;
                        break;
                    case '\n':
                        i = text.Length;
                        break;
                }
            }
            attributes.Add(new AttributeInfo(name.Groups[1].Value, new TextSpan(name.Index, name.Length), open, close, close < 0 ? [] : arguments));

            void AddArgument(int start, int end)
            {
                while (start < end && char.IsWhiteSpace(text[start]))
                {
                    start++;
                }
                while (end > start && char.IsWhiteSpace(text[end - 1]))
                {
                    end--;
                }
                if (end > start)
                {
                    arguments.Add(TextSpan.FromBounds(start, end));
                }
            }
        }
        return attributes;
    }

    /// <summary>The spans of the lines that start with '[' (after indentation), where the attribute lists are.</summary>
    private static List<TextSpan> AttributeListSpans(string text)
        => AttributeLines(text).Select(line => TextSpan.FromBounds(line.Start + (text.Substring(line.Start, line.Length).Length - text.Substring(line.Start, line.Length).TrimStart().Length), line.End)).ToList();

    /// <summary>Whole lines (with their line break) whose first non-blank character is '['.</summary>
    private static List<TextSpan> AttributeLines(string text)
    {
        var lines = new List<TextSpan>();
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end + 1;
            if (text.AsSpan(start, end - start).TrimStart().StartsWith("["))
            {
                lines.Add(TextSpan.FromBounds(start, end));
            }
            start = end;
        }
        return lines;
    }
}
