using System.IO.Compression;
using System.Text;

namespace Spam;

/// <summary>
/// A preprocessed sample of the corpus for the tests, which must run without it: one email a line, "ham" or "spam", a
/// tab, then its plain text (<see cref="EmailText.ToPlainText"/>) with tabs and line breaks turned to spaces and cut
/// at <see cref="MaxCharacters"/>; gzip-compressed UTF-8.
/// </summary>
internal static class SubsetFile
{
    /// <summary>Enough text for the first 200 words of most emails.</summary>
    public const int MaxCharacters = 1500;

    /// <summary>Writes <paramref name="emails"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<RawEmail> emails)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(false)) { NewLine = "\n" };
        foreach (RawEmail email in emails)
        {
            string text = string.Join(' ', EmailText.ToPlainText(email.Raw).Split((char[])['\t', '\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
            writer.WriteLine($"{(email.IsSpam ? "spam" : "ham")}\t{(text.Length > MaxCharacters ? text[..MaxCharacters] : text)}");
        }
    }

    /// <summary>The emails of a subset file, as (text, is spam).</summary>
    /// <exception cref="InvalidDataException">A line is not "ham" or "spam", a tab and a text; the message names the file and the line.</exception>
    public static List<(string Text, bool IsSpam)> Read(string path)
    {
        var emails = new List<(string, bool)>();
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            int tab = line.IndexOf('\t');
            string label = tab < 0 ? line : line[..tab];
            if (tab < 0 || label is not ("ham" or "spam"))
            {
                throw new InvalidDataException($"{path}, line {lineNumber}: expected \"ham\" or \"spam\", a tab and the text; found \"{(label.Length > 20 ? label[..20] + "..." : label)}\".");
            }
            emails.Add((line[(tab + 1)..], label == "spam"));
        }
        return emails;
    }
}
