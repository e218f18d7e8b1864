using System.Buffers.Binary;
using System.IO.Compression;

namespace FashionMnist;

/// <summary>Reads the gzip-compressed IDX files Fashion-MNIST (and MNIST) are published in.</summary>
internal static class IdxFile
{
    /// <summary>The images of an idx3 file as floats in [0, 1], one row of height x width values per image.</summary>
    public static float[] ReadImages(string path, int limit, out int count, out int height, out int width)
    {
        byte[] bytes = Decompress(path);
        ExpectMagic(path, bytes, 0x00000803);
        count = Math.Min(limit, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4)));
        height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
        width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12));
        int size = count * height * width;
        if (bytes.Length < 16 + size)
        {
            throw new InvalidDataException($"{path} is truncated: it should hold {count} images of {height}x{width} pixels after its 16-byte header.");
        }
        var images = new float[size];
        for (int i = 0; i < size; i++)
        {
            images[i] = bytes[16 + i] / 255f;
        }
        return images;
    }

    /// <summary>The labels of an idx1 file.</summary>
    public static int[] ReadLabels(string path, int limit)
    {
        byte[] bytes = Decompress(path);
        ExpectMagic(path, bytes, 0x00000801);
        int count = Math.Min(limit, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4)));
        if (bytes.Length < 8 + count)
        {
            throw new InvalidDataException($"{path} is truncated: it should hold {count} labels after its 8-byte header.");
        }
        return bytes.AsSpan(8, count).ToArray().Select(b => (int)b).ToArray();
    }

    private static byte[] Decompress(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }

    private static void ExpectMagic(string path, byte[] bytes, int magic)
    {
        if (bytes.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(bytes) != magic)
        {
            throw new InvalidDataException($"{path} is not an IDX file of the expected kind: it should start with 0x{magic:X8}.");
        }
    }
}
