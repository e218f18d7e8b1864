using System.Buffers.Binary;
using System.Text;

namespace NetGen.Cli.Import;

/// <summary>
/// Writes an imported network's parameters as the text weights file that <c>[Network(Weights = ...)]</c> compiles in:
/// <see cref="CompiledWeightsFile.Header"/>, then the Base64 of the binary weights record of docs/file-format.md
/// (version 1: magic, version, kind, count, shape fingerprint, parameters, CRC-32), 76 characters a line.
/// </summary>
internal static class WeightsFileWriter
{
    private const int LineLength = 76;
    private static readonly byte[] Magic = [0x89, (byte)'N', (byte)'e', (byte)'t', (byte)'G', (byte)'e', (byte)'n', 0x1A];

    /// <summary>The text of the weights file for <paramref name="network"/>.</summary>
    public static string Write(ImportedNetwork network)
    {
        float[] parameters = network.Parameters();
        ulong fingerprint = ShapeFingerprint.Compute(Size(network.InputShape), network.LayerInfos());
        byte[] record = new byte[24 + 4 * parameters.Length + 4];
        Magic.CopyTo(record, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(8), 1);   // format version 1: no sections
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(10), 1);  // kind 1: weights
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), (uint)parameters.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(16), fingerprint);
        for (int i = 0; i < parameters.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(record.AsSpan(24 + 4 * i), parameters[i]);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(record.Length - 4), Crc32(record.AsSpan(0, record.Length - 4)));

        string base64 = Convert.ToBase64String(record);
        var text = new StringBuilder(CompiledWeightsFile.Header.Length + base64.Length + base64.Length / LineLength + 4);
        text.Append(CompiledWeightsFile.Header).Append('\n');
        for (int start = 0; start < base64.Length; start += LineLength)
        {
            text.Append(base64, start, Math.Min(LineLength, base64.Length - start)).Append('\n');
        }
        return text.ToString();
    }

    private static int Size(IReadOnlyList<int> shape) => shape.Aggregate(1, (product, d) => product * d);

    /// <summary>CRC-32/ISO-HDLC, as zlib computes it (docs/file-format.md, "Checksum").</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }
}
