using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Spam;

/// <summary>
/// The words a reader of an email sees, from its raw text: the Subject and From headers (decoded when they are
/// RFC 2047 encoded words), then the text parts of the body, decoded from base64 or quoted-printable, with HTML reduced
/// to its text. Routing headers (Received, Return-Path, Message-ID, dates, X-...) are left out: they describe the mail
/// servers that carried the mail, and in this corpus they would teach the network the collectors' servers and dates
/// rather than what spam says. Attachments that are not text (images, archives) are left out too.
/// </summary>
internal static partial class EmailText
{
    private static readonly string[] KeptHeaders = ["subject", "from"];
    private const int MaxDepth = 8; // nested multiparts; deeper ones are malformed or hostile

    /// <summary>The plain text of <paramref name="raw"/>: kept headers first, one a line, then the body's text.</summary>
    /// <param name="raw">The email as its file holds it, bytes read as Latin-1.</param>
    public static string ToPlainText(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var text = new StringBuilder();
        (Dictionary<string, string> headers, string body) = SplitHeaders(raw);
        foreach (string name in KeptHeaders)
        {
            if (headers.TryGetValue(name, out string? value))
            {
                text.Append(DecodeEncodedWords(value)).Append('\n');
            }
        }
        AppendBody(headers, body, text, depth: 0);
        return text.ToString();
    }

    /// <summary>The headers (names lowercased, folded lines joined, the first of a repeated name kept) and the body after the first blank line.</summary>
    private static (Dictionary<string, string> Headers, string Body) SplitHeaders(string part)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        int position = 0;
        string? currentName = null;
        while (position < part.Length)
        {
            int end = part.IndexOf('\n', position);
            int next = end < 0 ? part.Length : end + 1;
            string line = part[position..(end < 0 ? part.Length : end)].TrimEnd('\r');
            position = next;
            if (line.Length == 0)
            {
                break;
            }
            if (line[0] is ' ' or '\t')
            {
                if (currentName is not null)
                {
                    headers[currentName] += " " + line.Trim();
                }
                continue;
            }
            int colon = line.IndexOf(':');
            // The mbox "From sender date" line, and anything else that is not "Name: value", is no header.
            if (colon <= 0 || line.AsSpan(0, colon).ContainsAny(' ', '\t'))
            {
                currentName = null;
                continue;
            }
            string name = line[..colon].ToLowerInvariant();
            currentName = headers.TryAdd(name, line[(colon + 1)..].Trim()) ? name : null;
        }
        return (headers, position < part.Length ? part[position..] : "");
    }

    private static void AppendBody(Dictionary<string, string> headers, string body, StringBuilder text, int depth)
    {
        (string mediaType, Dictionary<string, string> parameters) = ContentType(headers.GetValueOrDefault("content-type"));
        if (mediaType.StartsWith("multipart/", StringComparison.Ordinal))
        {
            if (depth < MaxDepth && parameters.TryGetValue("boundary", out string? boundary) && boundary.Length > 0)
            {
                foreach (string part in Parts(body, boundary))
                {
                    (Dictionary<string, string> partHeaders, string partBody) = SplitHeaders(part);
                    AppendBody(partHeaders, partBody, text, depth + 1);
                }
            }
            else
            {
                text.Append(body); // a multipart without a usable boundary: read what is there
            }
            return;
        }
        if (mediaType == "message/rfc822" && depth < MaxDepth)
        {
            (Dictionary<string, string> innerHeaders, string innerBody) = SplitHeaders(body);
            AppendBody(innerHeaders, innerBody, text, depth + 1);
            return;
        }
        if (!mediaType.StartsWith("text/", StringComparison.Ordinal))
        {
            return;
        }
        string decoded = Decode(body, headers.GetValueOrDefault("content-transfer-encoding"), parameters.GetValueOrDefault("charset"));
        text.Append(mediaType == "text/html" ? HtmlToText(decoded) : decoded).Append('\n');
    }

    /// <summary>The media type, lowercased (text/plain when absent), and its parameters (names lowercased, quotes removed).</summary>
    private static (string MediaType, Dictionary<string, string> Parameters) ContentType(string? header)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(header))
        {
            return ("text/plain", parameters);
        }
        string[] fields = header.Split(';');
        foreach (string field in fields.Skip(1))
        {
            int equals = field.IndexOf('=');
            if (equals > 0)
            {
                parameters.TryAdd(field[..equals].Trim().ToLowerInvariant(), field[(equals + 1)..].Trim().Trim('"'));
            }
        }
        string mediaType = fields[0].Trim().ToLowerInvariant();
        return (mediaType.Contains('/') ? mediaType : "text/plain", parameters);
    }

    /// <summary>The parts of a multipart body between its "--boundary" lines, up to the closing "--boundary--".</summary>
    private static IEnumerable<string> Parts(string body, string boundary)
    {
        string delimiter = "--" + boundary;
        StringBuilder? current = null;
        foreach (string rawLine in body.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (line.StartsWith(delimiter, StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    yield return current.ToString();
                }
                if (line.AsSpan(delimiter.Length).StartsWith("--"))
                {
                    yield break;
                }
                current = new StringBuilder();
                continue;
            }
            current?.Append(line).Append('\n'); // the preamble before the first delimiter is skipped
        }
        if (current is not null)
        {
            yield return current.ToString();
        }
    }

    /// <summary>The body's text: undone base64 or quoted-printable, then its bytes read in its charset (Latin-1 when unknown).</summary>
    private static string Decode(string body, string? transferEncoding, string? charset)
    {
        byte[] bytes;
        switch (transferEncoding?.Trim().ToLowerInvariant())
        {
            case "base64":
                bytes = Base64(body);
                break;
            case "quoted-printable":
                bytes = QuotedPrintable(body);
                break;
            default:
                if (charset is null || IsLatin1(charset))
                {
                    return body;
                }
                bytes = Encoding.Latin1.GetBytes(body);
                break;
        }
        return CharsetEncoding(charset).GetString(bytes);
    }

    private static bool IsLatin1(string charset)
        => charset.Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase) || charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase);

    private static Encoding CharsetEncoding(string? charset)
    {
        if (charset is not null)
        {
            try
            {
                return Encoding.GetEncoding(charset);
            }
            catch (ArgumentException)
            {
                // A charset .NET does not carry without the code-pages provider (windows-1252, koi8-r...): Latin-1 keeps the ASCII words.
            }
        }
        return Encoding.Latin1;
    }

    private static byte[] Base64(string body)
    {
        var clean = new StringBuilder(body.Length);
        foreach (char c in body)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '+' or '/')
            {
                clean.Append(c);
            }
        }
        switch (clean.Length % 4)
        {
            case 1:
                clean.Length--; // a lone sextet is no byte
                break;
            case 2:
                clean.Append("==");
                break;
            case 3:
                clean.Append('=');
                break;
        }
        var bytes = new byte[clean.Length / 4 * 3];
        return Convert.TryFromBase64String(clean.ToString(), bytes, out int written) ? bytes[..written] : [];
    }

    private static byte[] QuotedPrintable(string body)
    {
        var bytes = new List<byte>(body.Length);
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c == '=' && i + 1 < body.Length && (body[i + 1] == '\n' || (body[i + 1] == '\r' && i + 2 < body.Length && body[i + 2] == '\n')))
            {
                i += body[i + 1] == '\r' ? 2 : 1; // a soft line break
            }
            else if (c == '=' && i + 2 < body.Length && char.IsAsciiHexDigit(body[i + 1]) && char.IsAsciiHexDigit(body[i + 2]))
            {
                bytes.Add(Convert.ToByte(body.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)c);
            }
        }
        return [.. bytes];
    }

    /// <summary>The text of an HTML document: scripts, styles and comments dropped, tags turned to spaces, entities decoded.</summary>
    public static string HtmlToText(string html)
    {
        string text = HiddenHtml().Replace(html, " ");
        text = HtmlTag().Replace(text, " ");
        return WebUtility.HtmlDecode(text);
    }

    /// <summary>A header with RFC 2047 encoded words (=?charset?B?...?= or =?charset?Q?...?=) decoded.</summary>
    public static string DecodeEncodedWords(string header) => EncodedWord().Replace(header, match =>
    {
        string payload = match.Groups[3].Value;
        byte[] bytes = match.Groups[2].Value is "B" or "b"
            ? Base64(payload)
            : QuotedPrintable(payload.Replace('_', ' '));
        return CharsetEncoding(match.Groups[1].Value).GetString(bytes);
    });

    [GeneratedRegex(@"<(script|style)\b.*?</\1\s*>|<!--.*?-->", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HiddenHtml();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.Singleline)]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=")]
    private static partial Regex EncodedWord();
}
