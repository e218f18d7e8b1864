namespace NetGen.Cli.Import;

/// <summary>
/// A model that NetGen cannot declare exactly: the message lists every node that is the reason, by name and operator
/// type, so that one run shows everything to change. Nothing is written.
/// </summary>
internal sealed class UnsupportedModelException : Exception
{
    public UnsupportedModelException(string source, IReadOnlyList<string> problems)
        : base($"{source} cannot be imported as a NetGen network; nothing was written. {problems.Count} problem{(problems.Count == 1 ? "" : "s")}:"
               + string.Concat(problems.Select(problem => Environment.NewLine + "  - " + problem)))
    {
        Problems = problems;
    }

    /// <summary>One line per problem: "node 'name' (OpType): why".</summary>
    public IReadOnlyList<string> Problems { get; }
}
