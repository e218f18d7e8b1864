using System.Buffers.Binary;
using System.Text;

namespace NetGen.Tests;

/// <summary>
/// A text model in one file: the vocabulary travels in the weights file's "vocabulary" section, is checked against the
/// network's embedding on save and on load, and a damaged section leaves the network as it was.
/// </summary>
public sealed class TextPersistenceTests
{
    private static readonly Vocabulary Words = new(["free", "money", "now", "meeting", "日本"]);

    private static EmbeddingMeanBinaryNet Seeded()
    {
        var net = new EmbeddingMeanBinaryNet();
        EmbeddingMeanBinaryNet.InitializeParameters(net.Parameters, 5);
        return net;
    }

    private static byte[] Saved(EmbeddingMeanBinaryNet net, Preprocessing preprocessing)
    {
        var stream = new MemoryStream();
        NetworkFile.Save(net, stream, preprocessing);
        return stream.ToArray();
    }

    [Fact]
    public void TheVocabularyIsSavedAndLoadedWithTheParameters()
    {
        EmbeddingMeanBinaryNet net = Seeded();
        string path = Path.Combine(Path.GetTempPath(), $"text-model-{Guid.NewGuid():N}.ngw");
        try
        {
            NetworkFile.Save(net, path, new Preprocessing(standardizer: null, Words));
            var loaded = new EmbeddingMeanBinaryNet();

            Preprocessing preprocessing = NetworkFile.Load(loaded, path);

            Assert.Equal(net.Parameters, loaded.Parameters);
            Assert.NotNull(preprocessing.Vocabulary);
            Assert.Equal(Words.Words, preprocessing.Vocabulary.Words);
            Assert.Null(preprocessing.Standardizer);
            Assert.False(preprocessing.IsEmpty);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheSectionIsNamedVocabularyRequiredAndHoldsTheTextForm()
    {
        byte[] file = Saved(Seeded(), new Preprocessing(standardizer: null, Words));
        byte[] payload = Encoding.UTF8.GetBytes("netgen-vocabulary 1 7\nfree\nmoney\nnow\nmeeting\n日本\n");
        byte[] header = [.. "\n\0vocabulary"u8, 1, 0, 1, 0, .. BitConverter.GetBytes(payload.Length)];

        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8)));
        int at = file.AsSpan().IndexOf(header);
        Assert.True(at > 0, "the section header is in the file");
        Assert.Equal(payload, file.AsSpan(at + header.Length, payload.Length).ToArray());
        Assert.Equal(file.Length - 4, at + header.Length + payload.Length);
    }

    [Fact]
    public void SavingAVocabularyLargerThanTheEmbeddingIsRefused()
    {
        var tooLarge = new Vocabulary(Enumerable.Range(0, 10).Select(i => $"w{i}")); // 12 ids; the table has 11 rows
        var error = Assert.Throws<ArgumentException>(() => Saved(Seeded(), new Preprocessing(null, tooLarge)));
        Assert.Contains("12 ids", error.Message);
        Assert.Contains("11 rows", error.Message);
    }

    [Fact]
    public void SavingAVocabularyWithANetworkWithoutEmbeddingIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkFile.Save(new XorNet(), new MemoryStream(), new Preprocessing(null, Words)));
        Assert.Contains("does not start with an Embedding", error.Message);
    }

    [Fact]
    public void ADamagedVocabularySectionIsRefusedAndTheNetworkKeepsItsParameters()
    {
        byte[] file = Saved(Seeded(), new Preprocessing(null, Words));
        int at = file.AsSpan().IndexOf("netgen-vocabulary 1 7\n"u8);
        file[at + 20] = (byte)'8'; // the header now announces one word more than the section holds
        file = WithChecksum(file);
        var net = new EmbeddingMeanBinaryNet();
        float[] before = [.. net.Parameters];

        var error = Assert.Throws<NetworkFileException>(() => NetworkFile.Load(net, new MemoryStream(file)));

        Assert.Equal(NetworkFileError.InvalidSection, error.Reason);
        Assert.Contains("\"vocabulary\"", error.Message);
        Assert.Contains("8 ids", error.Message);
        Assert.Equal(before, net.Parameters);
    }

    [Fact]
    public void AVocabularyWithMoreIdsThanTheEmbeddingHasRowsIsRefusedOnLoad()
    {
        EmbeddingMeanBinaryNet saved = Seeded();
        byte[] plain = Saved(saved, Preprocessing.None); // version 1: the header, the parameters, the checksum
        byte[] payload = new Vocabulary(Enumerable.Range(0, 10).Select(i => $"w{i}")).ToBytes(); // 12 ids; the table has 11 rows
        var file = new List<byte>(plain[..^4]);
        file[8] = 2;
        file.AddRange(BitConverter.GetBytes(1u));
        file.AddRange(BitConverter.GetBytes((ushort)10));
        file.AddRange("vocabulary"u8.ToArray());
        file.AddRange(BitConverter.GetBytes((ushort)1));
        file.AddRange(BitConverter.GetBytes((ushort)1));
        file.AddRange(BitConverter.GetBytes((uint)payload.Length));
        file.AddRange(payload);
        file.AddRange(new byte[4]);
        var net = new EmbeddingMeanBinaryNet();
        float[] before = [.. net.Parameters];

        var error = Assert.Throws<NetworkFileException>(() => NetworkFile.Load(net, new MemoryStream(WithChecksum([.. file]))));

        Assert.Equal(NetworkFileError.InvalidSection, error.Reason);
        Assert.Contains("it holds 12 ids, but the embedding of EmbeddingMeanBinaryNet has 11 rows", error.Message);
        Assert.Equal(before, net.Parameters);
    }

    private static byte[] WithChecksum(byte[] file)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32.Compute(file.AsSpan(0, file.Length - 4)));
        return file;
    }
}
