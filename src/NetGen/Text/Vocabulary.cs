using System.Globalization;
using System.Numerics;
using System.Text;

namespace NetGen;

/// <summary>
/// The words an embedding knows, each with its token id: id <see cref="PaddingId"/> (0) is the padding that fills a
/// short text, id <see cref="UnknownId"/> (1) stands for every word not in the vocabulary, and ids from 2 on are the
/// words, most frequent first. Build it from the training texts only (<see cref="Build"/>), turn texts into rows of ids
/// of the network's input length (<see cref="Encode(IEnumerable{string}, Span{int})"/>), and save it with the model: a
/// network is useless without the vocabulary it was trained with.
/// </summary>
/// <remarks>
/// A vocabulary is saved inside the weights file (<see cref="Preprocessing.Vocabulary"/>, the "vocabulary" section of
/// docs/file-format.md) or on its own as a text file (<see cref="Save"/>, <see cref="Load"/>): a header line
/// <c>netgen-vocabulary 1 &lt;count&gt;</c>, then the words of ids 2, 3, ... one a line, in UTF-8. Declare the
/// embedding with <c>PaddingIndex = 0</c>, and a vocabulary of at least <see cref="Count"/> rows.
/// </remarks>
/// <example>
/// <code>
/// Vocabulary vocabulary = Vocabulary.Build(trainingTexts, maxSize: 20000, minCount: 2);
/// var ids = new int[SpamFilter.InputSize];
/// vocabulary.Encode(tokens, ids);          // truncated or padded with 0 to the input length
/// net.Predict(ids, output);
/// NetworkFile.Save(net, "spam.ngw", new Preprocessing(vocabulary));
/// </code>
/// </example>
public sealed class Vocabulary
{
    /// <summary>The id that pads a text to the input length: 0, the embedding's <c>PaddingIndex</c>.</summary>
    public const int PaddingId = 0;

    /// <summary>The id of every word the vocabulary does not hold (out of vocabulary): 1.</summary>
    public const int UnknownId = 1;

    /// <summary>How <see cref="Words"/> shows the padding id.</summary>
    public const string PaddingToken = "<pad>";

    /// <summary>How <see cref="Words"/> shows the unknown-word id.</summary>
    public const string UnknownToken = "<unk>";

    /// <summary>The number of ids every vocabulary reserves before its words: padding and unknown.</summary>
    public const int ReservedCount = 2;

    /// <summary>The first word of a vocabulary's text form, before its format version and its count.</summary>
    public const string FileSignature = "netgen-vocabulary";

    /// <summary>The version of the text form this NetGen writes and reads.</summary>
    public const int FileVersion = 1;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string[] _words;
    private readonly Dictionary<string, int> _ids;

    /// <summary>A vocabulary of <paramref name="words"/>, which get the ids 2, 3, ... in order.</summary>
    /// <param name="words">Distinct, non-empty words without line breaks.</param>
    /// <exception cref="ArgumentException">A word is empty, holds a line break, or appears twice.</exception>
    public Vocabulary(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var all = new List<string> { PaddingToken, UnknownToken };
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string word in words)
        {
            int id = all.Count;
            if (FindProblem(word) is { } problem)
            {
                throw new ArgumentException($"The word for id {id} {problem}.", nameof(words));
            }
            if (!_ids.TryAdd(word, id))
            {
                throw new ArgumentException($"The word \"{word}\" appears twice: for ids {_ids[word]} and {id}. Each word needs one id.", nameof(words));
            }
            all.Add(word);
        }
        _words = [.. all];
    }

    /// <summary>
    /// The vocabulary of <paramref name="texts"/> (the training part only, so that the test texts stay unseen): the
    /// words seen at least <paramref name="minCount"/> times, the most frequent first (ties in ordinal order), at most
    /// <paramref name="maxSize"/> ids in all with the two reserved ones.
    /// </summary>
    /// <param name="texts">The tokens of each text.</param>
    /// <param name="maxSize">The most ids, padding and unknown included: the embedding's vocabulary. At least 2.</param>
    /// <param name="minCount">How often a word must appear to get an id of its own; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is below 2 or <paramref name="minCount"/> below 1.</exception>
    /// <exception cref="ArgumentException">A token is empty or holds a line break.</exception>
    public static Vocabulary Build(IEnumerable<IEnumerable<string>> texts, int maxSize, int minCount = 1)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, ReservedCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int textIndex = 0;
        foreach (IEnumerable<string> text in texts)
        {
            foreach (string token in text)
            {
                if (FindProblem(token) is { } problem)
                {
                    throw new ArgumentException($"A token of text {textIndex} {problem}; a tokenizer gives words.", nameof(texts));
                }
                counts[token] = counts.GetValueOrDefault(token) + 1;
            }
            textIndex++;
        }
        IEnumerable<string> kept = counts
            .Where(pair => pair.Value >= minCount)
            .OrderByDescending(pair => pair.Value)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Take(maxSize - ReservedCount)
            .Select(pair => pair.Key);
        return new Vocabulary(kept);
    }

    /// <summary>The number of ids: the words and the two reserved ids. The embedding needs at least this many rows.</summary>
    public int Count => _words.Length;

    /// <summary>Every id's word, by id: <see cref="PaddingToken"/>, <see cref="UnknownToken"/>, then the words.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>The id of <paramref name="word"/>, or <see cref="UnknownId"/> when the vocabulary does not hold it.</summary>
    /// <param name="word">A token, as the tokenizer gives it.</param>
    public int IdOf(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return _ids.TryGetValue(word, out int id) ? id : UnknownId;
    }

    /// <summary>Whether <paramref name="word"/> has an id of its own.</summary>
    /// <param name="word">A token, as the tokenizer gives it.</param>
    public bool Contains(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return _ids.ContainsKey(word);
    }

    /// <summary>
    /// Writes the ids of the first <c>ids.Length</c> <paramref name="tokens"/> into <paramref name="ids"/> (a longer
    /// text is truncated) and fills the rest with <see cref="PaddingId"/> (a shorter one is padded at the end).
    /// </summary>
    /// <param name="tokens">The tokens of one text.</param>
    /// <param name="ids">One row of the network's input.</param>
    /// <returns>The number of tokens written, before the padding.</returns>
    public int Encode(IEnumerable<string> tokens, Span<int> ids) => EncodeAs(tokens, ids);

    /// <summary>
    /// <see cref="Encode(IEnumerable{string}, Span{int})"/> for the networks' float input: the ids as whole numbers
    /// (exact, since a vocabulary is far below 2^24 ids).
    /// </summary>
    /// <param name="tokens">The tokens of one text.</param>
    /// <param name="ids">One row of the network's input.</param>
    /// <returns>The number of tokens written, before the padding.</returns>
    public int Encode(IEnumerable<string> tokens, Span<float> ids) => EncodeAs(tokens, ids);

    private int EncodeAs<TId>(IEnumerable<string> tokens, Span<TId> ids) where TId : INumberBase<TId>
    {
        ArgumentNullException.ThrowIfNull(tokens);
        int written = 0;
        if (!ids.IsEmpty)
        {
            foreach (string token in tokens)
            {
                ids[written++] = TId.CreateChecked(IdOf(token));
                if (written == ids.Length)
                {
                    break;
                }
            }
        }
        ids[written..].Fill(TId.CreateChecked(PaddingId));
        return written;
    }

    /// <summary>Saves the vocabulary's text form to <paramref name="path"/>, atomically (an existing file stays whole if anything fails).</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="IOException">The file could not be written; the message names it.</exception>
    /// <exception cref="UnauthorizedAccessException">This user may not create a file in the folder of <paramref name="path"/>.</exception>
    public void Save(string path) => NetworkFile.WriteAtomically(path, stream => stream.Write(ToBytes()));

    /// <summary>Loads a vocabulary saved by <see cref="Save"/>.</summary>
    /// <param name="path">A vocabulary text file.</param>
    /// <exception cref="InvalidDataException">The file is not a vocabulary of this version, or is damaged; the message names the file and the line.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static Vocabulary Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return FromBytes(File.ReadAllBytes(path), $"'{Path.GetFullPath(path)}'");
    }

    /// <summary>The text form, UTF-8: the header line, then a word a line from id 2 on, each line ending in '\n'.</summary>
    internal byte[] ToBytes()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{FileSignature} {FileVersion} {Count}\n");
        for (int id = ReservedCount; id < _words.Length; id++)
        {
            text.Append(_words[id]).Append('\n');
        }
        return StrictUtf8.GetBytes(text.ToString());
    }

    /// <summary>Reads the text form; <paramref name="source"/> names where it came from in the messages.</summary>
    /// <exception cref="InvalidDataException">What is wrong, with the source and the line.</exception>
    internal static Vocabulary FromBytes(ReadOnlySpan<byte> bytes, string source)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException error)
        {
            throw new InvalidDataException($"{source} is not a vocabulary: it is not UTF-8 text (invalid bytes at offset {error.Index}).", error);
        }
        string[] lines = text.Split('\n');
        string header = lines[0].TrimEnd('\r');
        string[] fields = header.Split(' ');
        if (fields.Length != 3 || fields[0] != FileSignature)
        {
            throw new InvalidDataException($"{source}, line 1: expected the header \"{FileSignature} {FileVersion} <count>\", found \"{Shorten(header)}\".");
        }
        if (fields[1] != FileVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException($"{source}, line 1: the file is in vocabulary format version {Shorten(fields[1])}; this NetGen reads version {FileVersion}.");
        }
        if (!int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < ReservedCount)
        {
            throw new InvalidDataException($"{source}, line 1: the count is \"{Shorten(fields[2])}\"; expected a whole number of ids, at least {ReservedCount}.");
        }
        // The text ends with '\n', so the split leaves one empty string after the last word.
        int wordLines = lines.Length - 2;
        if (lines[^1].Length != 0 || wordLines != count - ReservedCount)
        {
            throw new InvalidDataException(
                $"{source}: the header announces {count} ids, so {count - ReservedCount} words after it, one a line, each line ending in a line feed; "
                + $"found {Math.Max(wordLines, 0)} complete lines{(lines[^1].Length != 0 ? " and an unfinished last line (a truncated file?)" : "")}.");
        }
        var words = new string[wordLines];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < wordLines; i++)
        {
            int line = i + 2;
            string word = lines[line - 1].EndsWith('\r') ? lines[line - 1][..^1] : lines[line - 1];
            if (FindProblem(word) is { } problem)
            {
                throw new InvalidDataException($"{source}, line {line}: the word for id {i + ReservedCount} {problem}.");
            }
            if (!seen.TryAdd(word, line))
            {
                throw new InvalidDataException($"{source}, line {line}: the word \"{Shorten(word)}\" already appears on line {seen[word]}; each word has one id.");
            }
            words[i] = word;
        }
        return new Vocabulary(words);
    }

    private static string? FindProblem(string? word) => word switch
    {
        null => "is null",
        "" => "is empty",
        _ when word.AsSpan().IndexOfAny('\n', '\r') >= 0 => $"\"{Shorten(word.ReplaceLineEndings(" "))}\" holds a line break",
        _ => null,
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
