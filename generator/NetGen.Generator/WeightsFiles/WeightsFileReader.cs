using System;
using System.IO;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator;

/// <summary>
/// Reads a weights file for compiling in: a header line, then the Base64 of a binary weights record
/// (docs/file-format.md), checked as the runtime's loader checks it: magic, version, kind, length, CRC-32.
/// </summary>
internal static class WeightsFileReader
{
    private const string Header = "NetGen weights, version 1: the Base64 of a binary weights record (docs/file-format.md)";
    private static readonly byte[] Magic = { 0x89, 0x4E, 0x65, 0x74, 0x47, 0x65, 0x6E, 0x1A };
    private const int HeaderBytes = 24;
    private static readonly uint[] CrcTable = CreateCrcTable();

    /// <summary>
    /// An additional file by its name (any name: a network finds its file by the name it declares), read as a weights
    /// file only when one of <paramref name="wantedNames"/> is its name, so that the project's other files are never read.
    /// </summary>
    public static AdditionalFileModel Describe(AdditionalText file, EquatableArray<string> wantedNames, CancellationToken cancellationToken)
    {
        string name = Path.GetFileName(file.Path);
        foreach (string wanted in wantedNames)
        {
            if (string.Equals(wanted, name, StringComparison.OrdinalIgnoreCase))
            {
                return new AdditionalFileModel(name, Read(file, cancellationToken));
            }
        }
        return new AdditionalFileModel(name, null);
    }

    public static WeightsFileModel Read(AdditionalText file, CancellationToken cancellationToken)
    {
        string name = Path.GetFileName(file.Path);
        SourceText? text = file.GetText(cancellationToken);
        if (text is null)
        {
            return Invalid(name, "the file could not be read");
        }
        if (IsBinaryNetworkFile(text))
        {
            return Invalid(name, "it is a binary network file (NetworkFile.Save writes those), and the compiler hands generators text only: compiled-in weights need the text form");
        }
        if (text.Lines.Count == 0 || text.Lines[0].ToString() != Header)
        {
            return Invalid(name, "its first line is not the NetGen weights header");
        }
        string base64 = text.ToString(TextSpan.FromBounds(text.Lines[0].EndIncludingLineBreak, text.Length));
        byte[] record;
        try
        {
            record = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return Invalid(name, "the text after the header line is not valid Base64");
        }
        if (record.Length < HeaderBytes + 4)
        {
            return Invalid(name, $"its record is truncated ({record.Length} bytes)");
        }
        for (int i = 0; i < Magic.Length; i++)
        {
            if (record[i] != Magic[i])
            {
                return Invalid(name, "its record does not start with the NetGen magic bytes");
            }
        }
        int version = record[8] | record[9] << 8, kind = record[10] | record[11] << 8;
        if (version is not (1 or 2))
        {
            return Invalid(name, $"its format version is {version}; this generator reads versions 1 and 2");
        }
        if (kind != 1)
        {
            return Invalid(name, $"it holds a record of kind {kind}, not weights (kind 1)");
        }
        uint count = ReadUInt32(record, 12);
        long expectedLength = HeaderBytes + 4L * count + 4;
        if (version == 1 ? record.Length != expectedLength : record.Length < expectedLength + 4)
        {
            return Invalid(name, $"it declares {count} parameters, which take {expectedLength} bytes, but the record has {record.Length}");
        }
        if (Crc32(record, record.Length - 4) != ReadUInt32(record, record.Length - 4))
        {
            return Invalid(name, "its checksum does not match its contents (the file is damaged)");
        }
        EquatableArray<int> standardizer = EquatableArray<int>.Empty;
        if (version == 2 && PreprocessingSections.Read(record, (int)(expectedLength - 4), record.Length - 4, out standardizer) is { } sectionError)
        {
            return Invalid(name, sectionError);
        }
        ulong fingerprint = ReadUInt32(record, 16) | (ulong)ReadUInt32(record, 20) << 32;
        var bits = new int[count];
        for (int i = 0; i < bits.Length; i++)
        {
            bits[i] = unchecked((int)ReadUInt32(record, HeaderBytes + 4 * i));
        }
        return new WeightsFileModel(name, null, (int)count, fingerprint, new EquatableArray<int>(bits), standardizer);
    }

    /// <summary>Whether the text starts with the binary record's magic bytes (0x89 "NetGen" 0x1A), however the first byte was decoded.</summary>
    private static bool IsBinaryNetworkFile(SourceText text)
        => text.Length >= 7 && text.ToString(new TextSpan(0, Math.Min(text.Length, 16))).Contains("NetGen\u001A");

    private static WeightsFileModel Invalid(string name, string error) => new(name, error, 0, 0, EquatableArray<int>.Empty, EquatableArray<int>.Empty);

    private static uint ReadUInt32(byte[] bytes, int offset)
        => (uint)(bytes[offset] | bytes[offset + 1] << 8 | bytes[offset + 2] << 16 | bytes[offset + 3] << 24);

    /// <summary>CRC-32 as in zlib (reflected polynomial 0xEDB88320), the checksum the runtime writes.</summary>
    private static uint Crc32(byte[] bytes, int length)
    {
        uint crc = 0xFFFFFFFFu;
        for (int i = 0; i < length; i++)
        {
            crc = CrcTable[(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
        }
        return ~crc;
    }

    private static uint[] CreateCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
