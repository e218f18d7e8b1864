namespace NetGen;

/// <summary>
/// CRC-32 as in zlib, PNG and Ethernet (IEEE 802.3: reflected polynomial 0xEDB88320, initial value and final XOR
/// 0xFFFFFFFF), so a file's checksum can be checked with any standard tool, e.g. Python's <c>zlib.crc32</c>.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = CreateTable();

    /// <summary>The running value before any byte.</summary>
    public const uint Initial = 0xFFFFFFFFu;

    /// <summary>Feeds <paramref name="bytes"/> into the running value <paramref name="crc"/>.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> bytes)
    {
        uint[] table = Table;
        foreach (byte b in bytes)
        {
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc;
    }

    /// <summary>The checksum of everything fed into the running value <paramref name="crc"/>.</summary>
    public static uint Finish(uint crc) => ~crc;

    /// <summary>The checksum of <paramref name="bytes"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> bytes) => Finish(Update(Initial, bytes));

    private static uint[] CreateTable()
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
