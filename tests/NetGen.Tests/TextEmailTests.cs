using Spam;

namespace NetGen.Tests;

/// <summary>
/// samples/SpamFilter's text preparation: the headers a reader sees, MIME parts decoded, HTML reduced to its text, and
/// lowercase words from Microsoft.ML.Tokenizers' normalizer and pre-tokenizer.
/// </summary>
public sealed class TextEmailTests
{
    private const string Routed = """
        From sender@example.com  Thu Aug 22 13:17:22 2002
        Return-Path: <bounce@relay.example>
        Received: from relayhost (relayhost [10.0.0.1])
        	by mailserver with ESMTP id ABC123
        From: Alice <alice@example.com>
        Subject: Lunch
         tomorrow?
        Message-ID: <xyz@messageid.example>

        Shall we meet at noon?
        """;

    [Fact]
    public void SubjectAndFromAreKeptRoutingHeadersDropped()
    {
        string text = EmailText.ToPlainText(Routed);

        Assert.Equal("Lunch tomorrow?\nAlice <alice@example.com>\nShall we meet at noon?\n", text.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("relayhost", text);
        Assert.DoesNotContain("messageid", text);
        Assert.DoesNotContain("bounce", text);
    }

    [Fact]
    public void EncodedWordsInHeadersAreDecoded()
    {
        Assert.Equal("Café offer", EmailText.DecodeEncodedWords("=?iso-8859-1?Q?Caf=E9_offer?="));
        Assert.Equal("Hello world", EmailText.DecodeEncodedWords("=?utf-8?B?SGVsbG8gd29ybGQ=?="));
    }

    [Fact]
    public void MultipartTextIsDecodedAndAttachmentsSkipped()
    {
        string raw = """
            Subject: offer
            Content-Type: multipart/mixed; boundary="XX"

            preamble nobody reads
            --XX
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            Price =3D 5 euros, soft=
             break, caf=C3=A9
            --XX
            Content-Type: text/html
            Content-Transfer-Encoding: base64

            PGh0bWw+PHNjcmlwdD5oaWRkZW4oKTwvc2NyaXB0PjxiPkJ1eTwvYj4mYW1wOyBzYXZlPC9odG1sPg==
            --XX
            Content-Type: image/gif
            Content-Transfer-Encoding: base64

            R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=
            --XX--
            epilogue nobody reads
            """;

        string text = EmailText.ToPlainText(raw.ReplaceLineEndings("\n"));

        // The HTML part is <html><script>hidden()</script><b>Buy</b>&amp; save</html>.
        Assert.Equal(["offer", "price", "5", "euros", "soft", "break", "café", "buy", "save"], EmailTokenizer.Tokenize(text));
        Assert.DoesNotContain("preamble", text);
        Assert.DoesNotContain("epilogue", text);
        Assert.DoesNotContain("hidden", text);
        Assert.DoesNotContain("GIF", text);
    }

    [Fact]
    public void HtmlLosesTagsCommentsStylesAndKeepsDecodedText()
    {
        string text = EmailText.HtmlToText("<p style='x'>Win&nbsp;<i>big</i></p><!-- secret --><style>p{color:red}</style>&lt;now&gt;");
        Assert.Equal(["win", "big", "now"], EmailTokenizer.Tokenize(text));
    }

    [Fact]
    public void TheTokenizerLowercasesWordsKeepsDollarAndBangAndDropsLongJunk()
    {
        List<string> tokens = EmailTokenizer.Tokenize("FREE $$$ money!!! Don't wait: www.Example.com/x?y=1 " + new string('a', 25) + " ÉTÉ 2002");

        Assert.Equal(["free", "$", "$", "$", "money", "!", "!", "!", "don't", "wait", "www", "example", "com", "x", "y", "1", "été", "2002"], tokens);
    }

    [Fact]
    public void PadAtFrontMovesTheWordsToTheEndOfTheRow()
    {
        int[] row = [5, 6, 7, 0, 0, 0];
        SpamPipeline.PadAtFront(row, 3);
        Assert.Equal([0, 0, 0, 5, 6, 7], row);

        int[] full = [1, 2, 3];
        SpamPipeline.PadAtFront(full, 3);
        Assert.Equal([1, 2, 3], full);
    }
}
