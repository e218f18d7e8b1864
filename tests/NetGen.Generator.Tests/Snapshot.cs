using System.Runtime.CompilerServices;

namespace NetGen.Generator.Tests;

/// <summary>
/// Golden-file comparison: <c>Snapshots/&lt;Name&gt;.verified.cs</c> holds the accepted text. On a difference the
/// actual text is written to <c>Snapshots/&lt;Name&gt;.received.cs</c> and the test fails; to accept it, copy the
/// received file over the verified one, or set <see cref="AcceptVariable"/>=1 and rerun, which overwrites the
/// verified file. Line endings are normalized to \n on both sides.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "NETGEN_ACCEPT_SNAPSHOTS";
    private const string FolderName = "Snapshots";

    public static void Verify(string actual, string name)
    {
        string directory = SnapshotDirectory();
        string verifiedPath = Path.Combine(directory, name + ".verified.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        string received = Normalize(actual);

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(verifiedPath, received);
            File.Delete(receivedPath);
            return;
        }

        if (!File.Exists(verifiedPath))
        {
            File.WriteAllText(receivedPath, received);
            Assert.Fail($"There is no snapshot {verifiedPath} yet. The generated text is in {receivedPath}. {HowToAccept(verifiedPath, receivedPath)}");
        }

        string verified = Normalize(File.ReadAllText(verifiedPath));
        if (verified == received)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, received);
        Assert.Fail($"The generated text differs from the snapshot {verifiedPath}:\n{FirstDifference(verified, received)}\n" +
                    $"The generated text is in {receivedPath}. {HowToAccept(verifiedPath, receivedPath)}");
    }

    /// <summary>\r\n and lone \r become \n, so that a checkout with CRLF endings compares equal.</summary>
    public static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static string HowToAccept(string verifiedPath, string receivedPath)
        => $"If the change is intended, copy {Path.GetFileName(receivedPath)} over {Path.GetFileName(verifiedPath)}, " +
           $"or set {AcceptVariable}=1 and rerun the tests, which overwrites the verified file.";

    private static string FirstDifference(string verified, string received)
    {
        string[] expectedLines = verified.Split('\n'), actualLines = received.Split('\n');
        int count = Math.Max(expectedLines.Length, actualLines.Length);
        for (int i = 0; i < count; i++)
        {
            string? expected = i < expectedLines.Length ? expectedLines[i] : null;
            string? actual = i < actualLines.Length ? actualLines[i] : null;
            if (expected != actual)
            {
                return $"  first difference at line {i + 1}:\n  verified: {expected ?? "<end of file>"}\n  received: {actual ?? "<end of file>"}";
            }
        }
        return "  (the texts differ only in a way the line comparison does not show)";
    }

    /// <summary>
    /// The Snapshots folder next to this source file. When the build maps source paths (a CI build with
    /// ContinuousIntegrationBuild), the folder is looked for above the test's output directory instead.
    /// </summary>
    private static string SnapshotDirectory()
    {
        string fromSource = Path.Combine(Path.GetDirectoryName(ThisFilePath())!, FolderName);
        if (Directory.Exists(fromSource))
        {
            return fromSource;
        }
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "tests", "NetGen.Generator.Tests", FolderName);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"Cannot find the {FolderName} folder of NetGen.Generator.Tests from {fromSource} or {AppContext.BaseDirectory}.");
    }

    /// <summary>The repository's root, found the same way as the Snapshots folder.</summary>
    public static string RepositoryRoot()
        => Path.GetFullPath(Path.Combine(SnapshotDirectory(), "..", "..", ".."));

    private static string ThisFilePath([CallerFilePath] string path = "") => path;
}
