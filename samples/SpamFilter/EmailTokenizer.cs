using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Spam;

/// <summary>
/// Splits an email's plain text into lowercase words with Microsoft.ML.Tokenizers: its <see cref="LowerCaseNormalizer"/>,
/// then a <see cref="RegexPreTokenizer"/> that keeps runs of letters and digits (with an inner apostrophe, as in
/// "don't") and the two signs spam leans on, '$' and '!'. Its trained tokenizers (Tiktoken, BPE, WordPiece) cut text
/// into the sub-word pieces of a general vocabulary; this sample wants whole words and a vocabulary learned from its
/// own training emails, so it uses the library's normalizer and pre-tokenizer, and NetGen's <see cref="NetGen.Vocabulary"/>.
/// </summary>
internal static partial class EmailTokenizer
{
    /// <summary>Longer "words" are base64, hashes or glued HTML: noise that would crowd the vocabulary.</summary>
    public const int MaxWordLength = 24;

    private static readonly PreTokenizer Words = new RegexPreTokenizer(WordPattern(), specialTokens: null);

    /// <summary>The words of <paramref name="text"/>, lowercased, in order.</summary>
    public static List<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string lowered = LowerCaseNormalizer.Instance.Normalize(text);
        var tokens = new List<string>();
        foreach ((int offset, int length) in Words.PreTokenize(lowered))
        {
            if (length <= MaxWordLength)
            {
                tokens.Add(lowered.Substring(offset, length));
            }
        }
        return tokens;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:'[\p{L}]+)?|[$!]")]
    private static partial Regex WordPattern();
}
