using System.Buffers.Binary;
using System.Text;

namespace NetGen;

// Format version 2: a weights record carries named, versioned sections after its parameters, one per kind of
// preprocessing (docs/file-format.md, "Sections"): "standardizer" and "vocabulary"; a section this NetGen does not know
// is skipped when its flags say it is optional, and refused when they say it is required.
public static partial class NetworkFile
{
    /// <summary>The most sections a weights file may hold.</summary>
    public const int MaxSections = 16;

    /// <summary>The longest section name, in UTF-8 bytes.</summary>
    public const int MaxSectionNameBytes = 64;

    /// <summary>The largest section payload, in bytes (256 MiB).</summary>
    public const int MaxSectionBytes = 256 * 1024 * 1024;

    /// <summary>The name of the section that holds a <see cref="Standardizer"/>.</summary>
    public const string StandardizerSectionName = "standardizer";

    /// <summary>The name of the section that holds a <see cref="Vocabulary"/>.</summary>
    public const string VocabularySectionName = "vocabulary";

    private const ushort StandardizerSectionVersion = 1;
    private const ushort VocabularySectionVersion = 1;
    private const ushort RequiredFlag = 1;
    private const int SectionCountSize = 4;
    private const int SectionHeaderSize = 2 + 2 + 2 + 4; // name length, version, flags, payload length (plus the name)

    private sealed record Section(byte[] Name, ushort Version, ushort Flags, byte[] Payload);

    private static void CheckPreprocessing<TNetwork>(Preprocessing preprocessing) where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        if (preprocessing.Standardizer is { } standardizer && standardizer.FeatureCount != TNetwork.InputSize)
        {
            throw new ArgumentException(
                $"The standardizer has {standardizer.FeatureCount} features; {typeof(TNetwork).Name} has {TNetwork.InputSize} inputs. Save the standardizer fitted on this network's inputs.",
                nameof(preprocessing));
        }
        if (preprocessing.Vocabulary is { } vocabulary && EmbeddingRows<TNetwork>() is var rows && vocabulary.Count > rows)
        {
            throw new ArgumentException(
                rows == 0
                    ? $"{typeof(TNetwork).Name} does not start with an Embedding layer, so it reads no token ids: a vocabulary is saved only with a network that does."
                    : $"The vocabulary has {vocabulary.Count} ids; the embedding of {typeof(TNetwork).Name} has {rows} rows. Build the vocabulary with maxSize: {rows}.",
                nameof(preprocessing));
        }
    }

    /// <summary>The rows of the embedding table the network starts with, or 0 when it starts with another layer.</summary>
    private static int EmbeddingRows<TNetwork>() where TNetwork : class, INetwork<TNetwork>
        => TNetwork.Layers is [{ Kind: LayerKind.Embedding } first, ..] ? first.Parameters[0].Shape[0] : 0;

    private static void WriteSections(RecordWriter writer, Preprocessing preprocessing)
    {
        var sections = new List<Section>();
        if (preprocessing.Standardizer is { } standardizer)
        {
            sections.Add(new Section(Encoding.UTF8.GetBytes(StandardizerSectionName), StandardizerSectionVersion, RequiredFlag, StandardizerPayload(standardizer)));
        }
        if (preprocessing.Vocabulary is { } vocabulary)
        {
            sections.Add(new Section(Encoding.UTF8.GetBytes(VocabularySectionName), VocabularySectionVersion, RequiredFlag, vocabulary.ToBytes()));
        }
        Span<byte> field = stackalloc byte[SectionHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(field, (uint)sections.Count);
        writer.Write(field[..SectionCountSize]);
        foreach (Section section in sections)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)section.Name.Length);
            writer.Write(field[..2]);
            writer.Write(section.Name);
            BinaryPrimitives.WriteUInt16LittleEndian(field, section.Version);
            BinaryPrimitives.WriteUInt16LittleEndian(field[2..], section.Flags);
            BinaryPrimitives.WriteUInt32LittleEndian(field[4..], (uint)section.Payload.Length);
            writer.Write(field[..8]);
            writer.Write(section.Payload);
        }
    }

    /// <summary>Feature count f (uint32), then f means, then f standard deviations (float32 each).</summary>
    private static byte[] StandardizerPayload(Standardizer standardizer)
    {
        int count = standardizer.FeatureCount;
        var payload = new byte[4 + 8 * count];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, (uint)count);
        for (int i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(4 + 4 * i), standardizer.Mean[i]);
            BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(4 + 4 * (count + i)), standardizer.StandardDeviation[i]);
        }
        return payload;
    }

    /// <summary>Reads the sections' structure, bounded by the limits; their contents are judged after the checksum.</summary>
    private static List<Section> ReadSections(RecordReader reader)
    {
        Span<byte> field = stackalloc byte[8];
        reader.Read(field[..SectionCountSize], "section count");
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(field);
        if (count is 0 or > MaxSections)
        {
            throw InvalidHeader(reader, "section count", $"1 to {MaxSections}", Text(count));
        }
        var sections = new List<Section>((int)count);
        for (int i = 0; i < count; i++)
        {
            reader.ExpectedLength = reader.Position + 2 + 1 + 8 + (count - i - 1) * (SectionHeaderSize + 1L) + ChecksumSize;
            reader.Read(field[..2], $"name length of section {i}");
            ushort nameLength = BinaryPrimitives.ReadUInt16LittleEndian(field);
            if (nameLength is 0 or > MaxSectionNameBytes)
            {
                throw InvalidHeader(reader, $"name length of section {i}", $"1 to {MaxSectionNameBytes} bytes", Text(nameLength));
            }
            var name = new byte[nameLength];
            reader.Read(name, $"name of section {i}");
            reader.Read(field, $"header of section {i}");
            ushort version = BinaryPrimitives.ReadUInt16LittleEndian(field);
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(field[2..]);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(field[4..]);
            if (length > MaxSectionBytes)
            {
                throw InvalidHeader(reader, $"payload length of section {i}", $"at most {MaxSectionBytes} bytes", Text(length));
            }
            reader.ExpectedLength = reader.Position + length + (count - i - 1) * (SectionHeaderSize + 1L) + ChecksumSize;
            byte[] payload = reader.ReadBytes(length, $"payload of section {i}");
            sections.Add(new Section(name, version, flags, payload));
        }
        return sections;
    }

    /// <summary>Turns checked sections into the preprocessing they describe, or says which one cannot be used.</summary>
    private static Preprocessing ToPreprocessing<TNetwork>(RecordReader reader, List<Section> sections) where TNetwork : class, INetwork<TNetwork>
    {
        Standardizer? standardizer = null;
        Vocabulary? vocabulary = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Section section in sections)
        {
            string name;
            try
            {
                name = StrictUtf8.GetString(section.Name);
            }
            catch (DecoderFallbackException)
            {
                throw InvalidHeader(reader, "section name", "UTF-8 text", Convert.ToHexString(section.Name));
            }
            if (!seen.Add(name))
            {
                throw InvalidSection(reader, name, $"the section \"{name}\" appears twice");
            }
            if (name == StandardizerSectionName)
            {
                if (section.Version != StandardizerSectionVersion)
                {
                    throw UnsupportedSection(reader, name, $"version {section.Version} of the section \"{name}\"; this NetGen reads version {StandardizerSectionVersion}",
                        Text(StandardizerSectionVersion), Text(section.Version));
                }
                standardizer = ReadStandardizer<TNetwork>(reader, section.Payload);
            }
            else if (name == VocabularySectionName)
            {
                if (section.Version != VocabularySectionVersion)
                {
                    throw UnsupportedSection(reader, name, $"version {section.Version} of the section \"{name}\"; this NetGen reads version {VocabularySectionVersion}",
                        Text(VocabularySectionVersion), Text(section.Version));
                }
                vocabulary = ReadVocabulary<TNetwork>(reader, section.Payload);
            }
            else if ((section.Flags & RequiredFlag) != 0)
            {
                throw UnsupportedSection(reader, name,
                    $"the section \"{name}\", which the file marks as required and this NetGen does not know (a newer NetGen wrote it)", "a known section", name);
            }
            // An optional section this NetGen does not know is skipped, as its writer allowed.
        }
        return standardizer is null && vocabulary is null ? Preprocessing.None : new Preprocessing(standardizer, vocabulary);
    }

    private static Vocabulary ReadVocabulary<TNetwork>(RecordReader reader, byte[] payload) where TNetwork : class, INetwork<TNetwork>
    {
        Vocabulary vocabulary;
        try
        {
            vocabulary = Vocabulary.FromBytes(payload, $"the section \"{VocabularySectionName}\"");
        }
        catch (InvalidDataException error)
        {
            throw InvalidSection(reader, VocabularySectionName, char.ToLowerInvariant(error.Message[0]) + error.Message[1..].TrimEnd('.'));
        }
        int rows = EmbeddingRows<TNetwork>();
        if (vocabulary.Count > rows)
        {
            throw InvalidSection(reader, VocabularySectionName,
                $"it holds {vocabulary.Count} ids, but the embedding of {reader.NetworkName} has {rows} rows", $"at most {Text(rows)} ids", Text(vocabulary.Count));
        }
        return vocabulary;
    }

    private static Standardizer ReadStandardizer<TNetwork>(RecordReader reader, byte[] payload) where TNetwork : class, INetwork<TNetwork>
    {
        if (payload.Length < 4)
        {
            throw InvalidSection(reader, StandardizerSectionName, $"its payload is {payload.Length} bytes; it needs at least 4");
        }
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        if (count != (uint)TNetwork.InputSize)
        {
            throw InvalidSection(reader, StandardizerSectionName,
                $"it standardizes {count} features, but {reader.NetworkName} has {TNetwork.InputSize} inputs", Text(TNetwork.InputSize), Text(count));
        }
        if (payload.Length != 4 + 8L * count)
        {
            throw InvalidSection(reader, StandardizerSectionName, $"its payload is {payload.Length} bytes; {count} features take {4 + 8L * count}");
        }
        var mean = new float[count];
        var deviation = new float[count];
        for (int i = 0; i < count; i++)
        {
            mean[i] = BinaryPrimitives.ReadSingleLittleEndian(payload.AsSpan(4 + 4 * i));
            deviation[i] = BinaryPrimitives.ReadSingleLittleEndian(payload.AsSpan(4 + 4 * ((int)count + i)));
        }
        if (Standardizer.FindProblem(mean, deviation) is { } problem)
        {
            throw InvalidSection(reader, StandardizerSectionName, char.ToLowerInvariant(problem.Message[0]) + problem.Message[1..].TrimEnd('.'));
        }
        return new Standardizer(mean, deviation);
    }

    private static NetworkFileException InvalidSection(RecordReader reader, string name, string problem, string? expected = null, string? found = null)
        => new(NetworkFileError.InvalidSection, $"{reader.Source} holds an invalid \"{name}\" section: {problem}.", expected, found);

    private static NetworkFileException UnsupportedSection(RecordReader reader, string name, string problem, string expected, string found)
        => new(NetworkFileError.UnsupportedSection, $"{reader.Source} holds {problem}. Load it with the NetGen that wrote it, or a newer one.", expected, found);
}
