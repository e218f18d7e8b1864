using System.Text;

namespace NetGen.Tests;

/// <summary>
/// The vocabulary of a text model: ids by frequency after the reserved padding (0) and unknown (1) ids, truncation and
/// padding to the input length, and its text file, whose every fault is named with the file and the line.
/// </summary>
public sealed class TextVocabularyTests
{
    private static readonly string[][] Texts =
    [
        ["free", "money", "now", "free"],
        ["meeting", "now", "free", "agenda"],
        ["money", "now", "zebra"],
    ];

    [Fact]
    public void BuildOrdersWordsByCountThenOrdinallyAfterTheReservedIds()
    {
        // Counts: free 3, now 3, money 2, agenda 1, meeting 1, zebra 1.
        Vocabulary vocabulary = Vocabulary.Build(Texts, maxSize: 10);

        Assert.Equal(["<pad>", "<unk>", "free", "now", "money", "agenda", "meeting", "zebra"], vocabulary.Words);
        Assert.Equal(8, vocabulary.Count);
        Assert.Equal(0, Vocabulary.PaddingId);
        Assert.Equal(1, Vocabulary.UnknownId);
    }

    [Fact]
    public void BuildKeepsWordsSeenMinCountTimesUpToMaxSizeIds()
    {
        Assert.Equal(["<pad>", "<unk>", "free", "now", "money"], Vocabulary.Build(Texts, maxSize: 10, minCount: 2).Words);
        Assert.Equal(["<pad>", "<unk>", "free", "now"], Vocabulary.Build(Texts, maxSize: 4).Words);
        Assert.Equal(["<pad>", "<unk>"], Vocabulary.Build(Texts, maxSize: 2).Words);
    }

    [Fact]
    public void BuildRefusesBadSizesAndTokens()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.Build(Texts, maxSize: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.Build(Texts, maxSize: 5, minCount: 0));
        var error = Assert.Throws<ArgumentException>(() => Vocabulary.Build([["ok"], ["two\nlines"]], maxSize: 5));
        Assert.Contains("text 1", error.Message);
        Assert.Contains("line break", error.Message);
    }

    [Fact]
    public void TheConstructorRefusesDuplicateAndEmptyWords()
    {
        var duplicate = Assert.Throws<ArgumentException>(() => new Vocabulary(["a", "b", "a"]));
        Assert.Contains("ids 2 and 4", duplicate.Message);
        var empty = Assert.Throws<ArgumentException>(() => new Vocabulary(["a", ""]));
        Assert.Contains("id 3 is empty", empty.Message);
    }

    [Fact]
    public void EncodeMapsUnknownWordsToOnePadsShortTextsAndTruncatesLongOnes()
    {
        var vocabulary = new Vocabulary(["free", "money"]);
        var ids = new int[5];
        ids.AsSpan().Fill(-7);

        Assert.Equal(3, vocabulary.Encode(["money", "spam", "free"], ids));
        Assert.Equal([3, 1, 2, 0, 0], ids);

        Assert.Equal(5, vocabulary.Encode(["free", "free", "money", "x", "money", "free", "free"], ids));
        Assert.Equal([2, 2, 3, 1, 3], ids);

        var floats = new float[4];
        Assert.Equal(2, vocabulary.Encode(["money", "nope"], floats));
        Assert.Equal([3f, 1f, 0f, 0f], floats);
        Assert.Equal(0, vocabulary.Encode([], floats));
        Assert.Equal([0f, 0f, 0f, 0f], floats);
    }

    [Fact]
    public void SaveAndLoadRoundTripTheWordsThroughATextFile()
    {
        Vocabulary vocabulary = Vocabulary.Build(Texts.Append(["naïve", "日本", "don't"]), maxSize: 100);
        string path = Path.Combine(Path.GetTempPath(), $"vocabulary-{Guid.NewGuid():N}.txt");
        try
        {
            vocabulary.Save(path);
            Assert.StartsWith("netgen-vocabulary 1 11\n", File.ReadAllText(path));

            Vocabulary loaded = Vocabulary.Load(path);

            Assert.Equal(vocabulary.Words, loaded.Words);
            Assert.Equal(vocabulary.IdOf("日本"), loaded.IdOf("日本"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SaveIntoAMissingFolderFailsNamingThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "vocabulary.txt");
        var error = Assert.Throws<DirectoryNotFoundException>(() => new Vocabulary(["a"]).Save(path));
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData("vocabulary 1 3\nfree\n", "line 1", "header")]
    [InlineData("netgen-vocabulary 2 3\nfree\n", "line 1", "version 2")]
    [InlineData("netgen-vocabulary 1 x\nfree\n", "line 1", "\"x\"")]
    [InlineData("netgen-vocabulary 1 1\n", "line 1", "at least 2")]
    [InlineData("netgen-vocabulary 1 5\nfree\nmoney\n", "5 ids", "found 2 complete lines")]
    [InlineData("netgen-vocabulary 1 4\nfree\nmon", "4 ids", "unfinished last line")]
    [InlineData("netgen-vocabulary 1 5\nfree\nmoney\nfree\n", "line 4", "already appears on line 2")]
    [InlineData("netgen-vocabulary 1 4\nfree\n\n", "line 3", "is empty")]
    public void LoadNamesTheFileTheLineAndTheProblem(string content, string where, string problem)
    {
        string path = Path.Combine(Path.GetTempPath(), $"vocabulary-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllText(path, content, new UTF8Encoding(false));
            var error = Assert.Throws<InvalidDataException>(() => Vocabulary.Load(path));
            Assert.Contains(Path.GetFileName(path), error.Message);
            Assert.Contains(where, error.Message);
            Assert.Contains(problem, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadRefusesBytesThatAreNotUtf8()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vocabulary-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllBytes(path, [.. "netgen-vocabulary 1 3\n"u8, 0xFF, 0xFE, (byte)'\n']);
            var error = Assert.Throws<InvalidDataException>(() => Vocabulary.Load(path));
            Assert.Contains("not UTF-8", error.Message);
            Assert.Contains("offset 22", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadAcceptsWindowsLineEndings()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vocabulary-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllText(path, "netgen-vocabulary 1 4\r\nfree\r\nmoney\r\n");
            Assert.Equal(["<pad>", "<unk>", "free", "money"], Vocabulary.Load(path).Words);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
