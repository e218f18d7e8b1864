using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace NetGen;

/// <summary>
/// Saves and loads a network's parameters (a weights file) or its parameters together with its optimizer's state (a
/// checkpoint, to resume training), in NetGen's little-endian binary format, documented byte by byte in
/// docs/file-format.md.
/// </summary>
/// <remarks>
/// <para>
/// Every file starts with magic bytes, the format version, the file kind, the parameter count and the
/// <see cref="ShapeFingerprint"/> of the network it was saved from, and ends with a CRC-32 of everything before it.
/// A weights file may also carry the model's <see cref="Preprocessing"/> (its standardizer), so that one file holds
/// the whole model.
/// A file is loaded only into a network of the same shape, and only when every byte checks out: a truncated, damaged,
/// foreign or mismatched file throws <see cref="NetworkFileException"/> and leaves the network (and the optimizer) exactly
/// as they were. The loader reads into a buffer sized by the network, never by the file, so a hostile header cannot
/// make it allocate more than the network's own size.
/// </para>
/// <para>
/// Saving to a path is atomic: the record is written to a temporary file in the same directory, flushed to disk and
/// then moved over the target, so a crash or an error while saving leaves the previous file whole, and the temporary
/// file is removed.
/// </para>
/// </remarks>
public static partial class NetworkFile
{
    /// <summary>
    /// The newest format version this NetGen reads and writes. Version 2 adds preprocessing sections to weights files;
    /// a weights file without preprocessing, and every checkpoint, is still written in version 1, which every NetGen
    /// reads. Both versions are read.
    /// </summary>
    public const int FormatVersion = 2;

    private const ushort FirstFormatVersion = 1;

    /// <summary>The most optimizer state vectors a checkpoint may hold (NetGen's optimizers keep at most 2).</summary>
    public const int MaxOptimizerStateVectors = 16;

    /// <summary>The longest optimizer type name, in UTF-8 bytes, a checkpoint may hold.</summary>
    public const int MaxOptimizerNameBytes = 256;

    private const ushort ParametersKind = 1;
    private const ushort CheckpointKind = 2;
    private const int FixedHeaderSize = 24;
    private const int CheckpointHeaderSize = 40;
    private const int ChecksumSize = 4;

    /// <summary>"\x89NetGen\x1A": the high byte catches 7-bit transfers, 0x1A stops a DOS <c>type</c>.</summary>
    private static ReadOnlySpan<byte> Magic => [0x89, (byte)'N', (byte)'e', (byte)'t', (byte)'G', (byte)'e', (byte)'n', 0x1A];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The number of bytes of the weights file of <typeparamref name="TNetwork"/>.</summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    public static long WeightsFileLength<TNetwork>() where TNetwork : class, INetwork<TNetwork>
        => FixedHeaderSize + 4L * TNetwork.ParameterCount + ChecksumSize;

    /// <summary>Saves the parameters of <paramref name="network"/> to <paramref name="path"/>, atomically.</summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network whose parameters are saved.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="UnauthorizedAccessException">
    /// This user may not create a file in the folder of <paramref name="path"/> (a read-only folder, for example).
    /// </exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist, or is a file.</exception>
    /// <exception cref="IOException">
    /// The file could not be written for another reason (a full disk, a folder at <paramref name="path"/>...). Whatever
    /// is thrown, its message names <paramref name="path"/>, an existing file there is unchanged and no temporary file is left.
    /// </exception>
    public static void Save<TNetwork>(TNetwork network, string path) where TNetwork : class, INetwork<TNetwork>
        => Save(network, path, Preprocessing.None);

    /// <summary>
    /// Saves the whole model to <paramref name="path"/>, atomically: the parameters of <paramref name="network"/> and
    /// the <paramref name="preprocessing"/> its inputs go through (format version 2 when there is any), so that
    /// <see cref="Load{TNetwork}(TNetwork, string)"/> gives both back.
    /// </summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network whose parameters are saved.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="preprocessing">What the network's inputs go through; <see cref="Preprocessing.None"/> for nothing.</param>
    /// <exception cref="ArgumentException">The standardizer has another number of features than the network has inputs.</exception>
    /// <exception cref="UnauthorizedAccessException">
    /// This user may not create a file in the folder of <paramref name="path"/> (a read-only folder, for example).
    /// </exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist, or is a file.</exception>
    /// <exception cref="IOException">
    /// The file could not be written for another reason (a full disk, a folder at <paramref name="path"/>...). Whatever
    /// is thrown, its message names <paramref name="path"/>, an existing file there is unchanged and no temporary file is left.
    /// </exception>
    public static void Save<TNetwork>(TNetwork network, string path, Preprocessing preprocessing) where TNetwork : class, INetwork<TNetwork>
    {
        float[] parameters = ParametersOf(network);
        CheckPreprocessing<TNetwork>(preprocessing);
        WriteAtomically(path, stream => WriteWeights<TNetwork>(parameters, preprocessing, stream));
    }

    /// <summary>Writes the weights record of <paramref name="network"/> to <paramref name="stream"/>, from its current position.</summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network whose parameters are saved.</param>
    /// <param name="stream">A writable stream; it is not flushed or closed.</param>
    public static void Save<TNetwork>(TNetwork network, Stream stream) where TNetwork : class, INetwork<TNetwork>
        => Save(network, stream, Preprocessing.None);

    /// <summary>Writes the weights record of <paramref name="network"/> with its <paramref name="preprocessing"/> to <paramref name="stream"/>, from its current position.</summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network whose parameters are saved.</param>
    /// <param name="stream">A writable stream; it is not flushed or closed.</param>
    /// <param name="preprocessing">What the network's inputs go through; <see cref="Preprocessing.None"/> for nothing.</param>
    /// <exception cref="ArgumentException">The standardizer has another number of features than the network has inputs.</exception>
    public static void Save<TNetwork>(TNetwork network, Stream stream, Preprocessing preprocessing) where TNetwork : class, INetwork<TNetwork>
    {
        float[] parameters = ParametersOf(network);
        ArgumentNullException.ThrowIfNull(stream);
        CheckPreprocessing<TNetwork>(preprocessing);
        WriteWeights<TNetwork>(parameters, preprocessing, stream);
    }

    /// <summary>
    /// Loads the parameters saved in the weights file <paramref name="path"/> into <paramref name="network"/>, and
    /// returns the preprocessing saved with them.
    /// </summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network whose parameters are replaced.</param>
    /// <param name="path">A weights file written by <see cref="Save{TNetwork}(TNetwork, string, Preprocessing)"/> (or the overload without preprocessing).</param>
    /// <returns>What the network's inputs must go through: <see cref="Preprocessing.None"/> when the file holds no preprocessing.</returns>
    /// <exception cref="NetworkFileException">
    /// The file is truncated, damaged, not a NetGen weights file, of another format version, made for another network
    /// shape, holds preprocessing this NetGen cannot read or that does not fit the network, or goes on after its
    /// checksum. The parameters are unchanged.
    /// </exception>
    /// <exception cref="IOException">The file could not be read. The parameters are unchanged.</exception>
    public static Preprocessing Load<TNetwork>(TNetwork network, string path) where TNetwork : class, INetwork<TNetwork>
    {
        float[] target = ParametersOf(network);
        using FileStream stream = OpenForReading(path);
        var reader = new RecordReader(stream, $"'{stream.Name}'", typeof(TNetwork).Name);
        (float[] loaded, Preprocessing preprocessing) = ReadWeights<TNetwork>(reader);
        reader.ExpectEnd();
        loaded.CopyTo(target, 0);
        return preprocessing;
    }

    /// <summary>
    /// Loads one weights record from <paramref name="stream"/>, from its current position, into <paramref name="network"/>.
    /// The stream is left just after the record's checksum.
    /// </summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network whose parameters are replaced.</param>
    /// <param name="stream">A readable stream.</param>
    /// <returns>What the network's inputs must go through: <see cref="Preprocessing.None"/> when the record holds no preprocessing.</returns>
    /// <exception cref="NetworkFileException">
    /// The record is truncated, damaged, foreign, for another shape, or holds preprocessing this NetGen cannot read or
    /// that does not fit the network. The parameters are unchanged.
    /// </exception>
    public static Preprocessing Load<TNetwork>(TNetwork network, Stream stream) where TNetwork : class, INetwork<TNetwork>
    {
        float[] target = ParametersOf(network);
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new RecordReader(stream, "The stream", typeof(TNetwork).Name);
        (float[] loaded, Preprocessing preprocessing) = ReadWeights<TNetwork>(reader);
        loaded.CopyTo(target, 0);
        return preprocessing;
    }

    /// <summary>
    /// Saves a checkpoint to <paramref name="path"/>, atomically: the parameters of <paramref name="network"/> and the
    /// state of <paramref name="optimizer"/> (its type, <see cref="Optimizer.StepCount"/> and <see cref="Optimizer.State"/>),
    /// so that training can resume exactly where it stopped. The optimizer's hyperparameters are not saved: load into
    /// an optimizer constructed like this one.
    /// </summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network being trained.</param>
    /// <param name="optimizer">The optimizer training it.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="ArgumentException">The optimizer holds state for a different number of parameters.</exception>
    /// <exception cref="UnauthorizedAccessException">
    /// This user may not create a file in the folder of <paramref name="path"/> (a read-only folder, for example).
    /// </exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist, or is a file.</exception>
    /// <exception cref="IOException">
    /// The file could not be written for another reason (a full disk, a folder at <paramref name="path"/>...). Whatever
    /// is thrown, its message names <paramref name="path"/>, an existing file there is unchanged and no temporary file is left.
    /// </exception>
    public static void SaveCheckpoint<TNetwork>(TNetwork network, Optimizer optimizer, string path) where TNetwork : class, INetwork<TNetwork>
    {
        float[] parameters = ParametersOf(network);
        byte[] name = CheckOptimizer<TNetwork>(optimizer);
        WriteAtomically(path, stream => WriteCheckpoint<TNetwork>(parameters, optimizer, name, stream));
    }

    /// <summary>Writes a checkpoint record to <paramref name="stream"/>, from its current position.</summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network being trained.</param>
    /// <param name="optimizer">The optimizer training it.</param>
    /// <param name="stream">A writable stream; it is not flushed or closed.</param>
    /// <exception cref="ArgumentException">The optimizer holds state for a different number of parameters.</exception>
    public static void SaveCheckpoint<TNetwork>(TNetwork network, Optimizer optimizer, Stream stream) where TNetwork : class, INetwork<TNetwork>
    {
        float[] parameters = ParametersOf(network);
        byte[] name = CheckOptimizer<TNetwork>(optimizer);
        ArgumentNullException.ThrowIfNull(stream);
        WriteCheckpoint<TNetwork>(parameters, optimizer, name, stream);
    }

    /// <summary>
    /// Loads the checkpoint <paramref name="path"/>: the parameters into <paramref name="network"/> and the optimizer
    /// state into <paramref name="optimizer"/>, which must be of the type that saved it.
    /// </summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network whose parameters are replaced.</param>
    /// <param name="optimizer">The optimizer whose state is replaced.</param>
    /// <param name="path">A checkpoint written by <see cref="SaveCheckpoint{TNetwork}(TNetwork, Optimizer, string)"/>.</param>
    /// <exception cref="NetworkFileException">
    /// The file is truncated, damaged, not a NetGen checkpoint, of another format version, made for another network
    /// shape or another optimizer. The parameters and the optimizer are unchanged.
    /// </exception>
    public static void LoadCheckpoint<TNetwork>(TNetwork network, Optimizer optimizer, string path) where TNetwork : class, INetwork<TNetwork>
    {
        float[] target = ParametersOf(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        using FileStream stream = OpenForReading(path);
        var reader = new RecordReader(stream, $"'{stream.Name}'", typeof(TNetwork).Name);
        Checkpoint checkpoint = ReadCheckpoint<TNetwork>(reader);
        reader.ExpectEnd();
        Apply(checkpoint, target, optimizer, reader.Source);
    }

    /// <summary>Loads one checkpoint record from <paramref name="stream"/>, from its current position.</summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network whose parameters are replaced.</param>
    /// <param name="optimizer">The optimizer whose state is replaced.</param>
    /// <param name="stream">A readable stream, left just after the record's checksum.</param>
    /// <exception cref="NetworkFileException">The record is refused. The parameters and the optimizer are unchanged.</exception>
    public static void LoadCheckpoint<TNetwork>(TNetwork network, Optimizer optimizer, Stream stream) where TNetwork : class, INetwork<TNetwork>
    {
        float[] target = ParametersOf(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new RecordReader(stream, "The stream", typeof(TNetwork).Name);
        Checkpoint checkpoint = ReadCheckpoint<TNetwork>(reader);
        Apply(checkpoint, target, optimizer, reader.Source);
    }

    /// <summary>
    /// Creates or replaces <paramref name="path"/> with what <paramref name="write"/> writes, atomically: into a new
    /// temporary file in the same directory, flushed to disk, then moved over <paramref name="path"/>. When anything
    /// fails the temporary file is deleted and <paramref name="path"/> is untouched.
    /// </summary>
    internal static void WriteAtomically(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception error)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The original error matters more than a temporary file that could not be removed.
            }
            if (error is IOException or UnauthorizedAccessException)
            {
                throw NamingTheTarget(error, fullPath, directory);
            }
            throw;
        }
    }

    /// <summary>
    /// The file system names the temporary file, which the caller never asked for: the same kind of exception, naming
    /// the target and its folder, with the original as the inner exception.
    /// </summary>
    private static Exception NamingTheTarget(Exception error, string target, string directory) => error switch
    {
        UnauthorizedAccessException => new UnauthorizedAccessException(
            $"Cannot save '{target}': access is denied. Saving needs permission to create a file in the folder '{directory}' " +
            $"(the record is written to a temporary file there, then moved over '{Path.GetFileName(target)}').", error),
        DirectoryNotFoundException => new DirectoryNotFoundException(
            $"Cannot save '{target}': the folder '{directory}' does not exist or is not a folder.", error),
        PathTooLongException => new PathTooLongException($"Cannot save '{target}': the path is too long. {error.Message}", error),
        _ => new IOException($"Cannot save '{target}': {error.Message}", error),
    };

    private static FileStream OpenForReading(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.SequentialScan);
    }

    private static float[] ParametersOf<TNetwork>(TNetwork network) where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(network);
        float[] parameters = network.Parameters;
        if (parameters is null || parameters.Length != TNetwork.ParameterCount)
        {
            throw new ArgumentException(
                $"{typeof(TNetwork).Name}.Parameters holds {parameters?.Length ?? 0} values; the network has {TNetwork.ParameterCount} parameters.", nameof(network));
        }
        return parameters;
    }

    private static string OptimizerName(Optimizer optimizer) => optimizer.GetType().FullName ?? optimizer.GetType().Name;

    private static byte[] CheckOptimizer<TNetwork>(Optimizer optimizer) where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        IReadOnlyList<float[]> state = optimizer.State;
        if (state.Count > MaxOptimizerStateVectors)
        {
            throw new ArgumentException($"The optimizer keeps {state.Count} state vectors; a checkpoint holds at most {MaxOptimizerStateVectors}.", nameof(optimizer));
        }
        foreach (float[] vector in state)
        {
            if (vector.Length != TNetwork.ParameterCount)
            {
                throw new ArgumentException(
                    $"The optimizer holds state for {vector.Length} parameters; {typeof(TNetwork).Name} has {TNetwork.ParameterCount}. Save the optimizer that trains this network.",
                    nameof(optimizer));
            }
        }
        byte[] name = StrictUtf8.GetBytes(OptimizerName(optimizer));
        if (name.Length > MaxOptimizerNameBytes)
        {
            throw new ArgumentException($"The optimizer's type name is {name.Length} UTF-8 bytes long; a checkpoint holds at most {MaxOptimizerNameBytes}.", nameof(optimizer));
        }
        return name;
    }

    private static void WriteFixedHeader<TNetwork>(RecordWriter writer, ushort version, ushort kind) where TNetwork : class, INetwork<TNetwork>
    {
        Span<byte> header = stackalloc byte[FixedHeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], version);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], kind);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)TNetwork.ParameterCount);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], ShapeFingerprint.Of<TNetwork>());
        writer.Write(header);
    }

    private static void WriteWeights<TNetwork>(float[] parameters, Preprocessing preprocessing, Stream stream) where TNetwork : class, INetwork<TNetwork>
    {
        var writer = new RecordWriter(stream);
        // Version 1 when there is nothing for version 2 to hold, so that such files stay readable by every NetGen.
        WriteFixedHeader<TNetwork>(writer, preprocessing.IsEmpty ? FirstFormatVersion : (ushort)FormatVersion, ParametersKind);
        writer.WriteFloats(parameters);
        if (!preprocessing.IsEmpty)
        {
            WriteSections(writer, preprocessing);
        }
        writer.WriteChecksum();
    }

    private static void WriteCheckpoint<TNetwork>(float[] parameters, Optimizer optimizer, byte[] name, Stream stream)
        where TNetwork : class, INetwork<TNetwork>
    {
        IReadOnlyList<float[]> state = optimizer.State;
        var writer = new RecordWriter(stream);
        WriteFixedHeader<TNetwork>(writer, FirstFormatVersion, CheckpointKind);
        Span<byte> fields = stackalloc byte[CheckpointHeaderSize - FixedHeaderSize];
        BinaryPrimitives.WriteInt64LittleEndian(fields, optimizer.StepCount);
        BinaryPrimitives.WriteUInt32LittleEndian(fields[8..], (uint)state.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(fields[12..], (uint)name.Length);
        writer.Write(fields);
        writer.Write(name);
        writer.WriteFloats(parameters);
        foreach (float[] vector in state)
        {
            writer.WriteFloats(vector);
        }
        writer.WriteChecksum();
    }

    /// <summary>
    /// Reads and checks magic, version, kind and parameter count; returns the file's fingerprint, checked later, and its
    /// version: 1 or 2 for weights, 1 for checkpoints.
    /// </summary>
    private static (ulong Fingerprint, ushort Version) ReadFixedHeader<TNetwork>(RecordReader reader, ushort expectedKind) where TNetwork : class, INetwork<TNetwork>
    {
        reader.ReadMagic();

        Span<byte> field = stackalloc byte[FixedHeaderSize - 8];
        reader.Read(field[..2], "format version");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(field);
        ushort newest = expectedKind == ParametersKind ? (ushort)FormatVersion : FirstFormatVersion;
        if (version < FirstFormatVersion || version > newest)
        {
            string readable = newest == FirstFormatVersion ? $"{FirstFormatVersion}" : $"{FirstFormatVersion} or {newest}";
            throw new NetworkFileException(NetworkFileError.UnsupportedVersion,
                $"{reader.Source} is in NetGen file format version {version}; this NetGen reads {KindName(expectedKind)} files of version {readable}.",
                readable, Text(version));
        }

        reader.Read(field[..2], "file kind");
        ushort kind = BinaryPrimitives.ReadUInt16LittleEndian(field);
        if (kind != expectedKind)
        {
            string advice = kind switch
            {
                CheckpointKind => "it is a checkpoint (parameters and optimizer state): load it with NetworkFile.LoadCheckpoint",
                ParametersKind => "it is a weights file (parameters only): load it with NetworkFile.Load",
                _ => "no NetGen writes that kind",
            };
            throw new NetworkFileException(NetworkFileError.WrongFileKind,
                $"{reader.Source} is of file kind {kind} where kind {expectedKind} ({KindName(expectedKind)}) was expected: {advice}.",
                $"{expectedKind} ({KindName(expectedKind)})", $"{kind} ({KindName(kind)})");
        }

        reader.Read(field[..12], "parameter count and shape fingerprint");
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(field);
        ulong fingerprint = BinaryPrimitives.ReadUInt64LittleEndian(field[4..]);
        if (count != (uint)TNetwork.ParameterCount)
        {
            throw ShapeMismatch<TNetwork>(reader, count, fingerprint);
        }
        return (fingerprint, version);
    }

    private static NetworkFileException ShapeMismatch<TNetwork>(RecordReader reader, uint count, ulong fingerprint) where TNetwork : class, INetwork<TNetwork>
    {
        ulong expected = ShapeFingerprint.Of<TNetwork>();
        string why = count == (uint)TNetwork.ParameterCount
            ? "the same number of parameters, but other layers or activations"
            : "a different number of parameters";
        return new NetworkFileException(NetworkFileError.ShapeMismatch,
            $"{reader.Source} was saved from a network of another shape ({why}): it holds {count} parameters with shape fingerprint 0x{fingerprint:X16}; " +
            $"{reader.NetworkName} has {TNetwork.ParameterCount} parameters with fingerprint 0x{expected:X16}.",
            $"{TNetwork.ParameterCount} parameters, fingerprint 0x{expected:X16}",
            $"{count} parameters, fingerprint 0x{fingerprint:X16}");
    }

    private static void CheckFingerprint<TNetwork>(RecordReader reader, ulong fingerprint) where TNetwork : class, INetwork<TNetwork>
    {
        if (fingerprint != ShapeFingerprint.Of<TNetwork>())
        {
            throw ShapeMismatch<TNetwork>(reader, (uint)TNetwork.ParameterCount, fingerprint);
        }
    }

    private static (float[] Parameters, Preprocessing Preprocessing) ReadWeights<TNetwork>(RecordReader reader) where TNetwork : class, INetwork<TNetwork>
    {
        reader.ExpectedLength = WeightsFileLength<TNetwork>();
        (ulong fingerprint, ushort version) = ReadFixedHeader<TNetwork>(reader, ParametersKind);
        // Sized by the network, not by the file: the header's count has been checked against it.
        var parameters = new float[TNetwork.ParameterCount];
        if (version > FirstFormatVersion)
        {
            reader.ExpectedLength += SectionCountSize;
            reader.ExpectedLengthIsMinimum = true;
        }
        reader.ReadFloats(parameters, "parameters");
        List<Section> sections = version > FirstFormatVersion ? ReadSections(reader) : [];
        reader.ReadAndVerifyChecksum();
        CheckFingerprint<TNetwork>(reader, fingerprint);
        return (parameters, ToPreprocessing<TNetwork>(reader, sections));
    }

    private sealed record Checkpoint(float[] Parameters, long StepCount, string OptimizerName, float[][] State);

    private static Checkpoint ReadCheckpoint<TNetwork>(RecordReader reader) where TNetwork : class, INetwork<TNetwork>
    {
        int count = TNetwork.ParameterCount;
        reader.ExpectedLength = CheckpointHeaderSize + ChecksumSize + 4L * count; // known once the header is read
        reader.ExpectedLengthIsMinimum = true;
        (ulong fingerprint, _) = ReadFixedHeader<TNetwork>(reader, CheckpointKind);

        Span<byte> fields = stackalloc byte[CheckpointHeaderSize - FixedHeaderSize];
        reader.Read(fields, "checkpoint header");
        long stepCount = BinaryPrimitives.ReadInt64LittleEndian(fields);
        uint vectorCount = BinaryPrimitives.ReadUInt32LittleEndian(fields[8..]);
        uint nameLength = BinaryPrimitives.ReadUInt32LittleEndian(fields[12..]);
        if (stepCount < 0)
        {
            throw InvalidHeader(reader, "optimizer step count", "0 or more", Text(stepCount));
        }
        if (vectorCount > MaxOptimizerStateVectors)
        {
            throw InvalidHeader(reader, "number of optimizer state vectors", $"at most {MaxOptimizerStateVectors}", Text(vectorCount));
        }
        if (nameLength is 0 or > MaxOptimizerNameBytes)
        {
            throw InvalidHeader(reader, "length of the optimizer's name", $"1 to {MaxOptimizerNameBytes} bytes", Text(nameLength));
        }
        reader.ExpectedLength = CheckpointHeaderSize + nameLength + 4L * count * (1 + vectorCount) + ChecksumSize;
        reader.ExpectedLengthIsMinimum = false;

        // Every allocation below is bounded by the network's size and the limits just checked.
        var name = new byte[nameLength];
        reader.Read(name, "optimizer name");
        var parameters = new float[count];
        reader.ReadFloats(parameters, "parameters");
        var state = new float[vectorCount][];
        for (int i = 0; i < state.Length; i++)
        {
            state[i] = new float[count];
            reader.ReadFloats(state[i], $"optimizer state vector {i}");
        }
        reader.ReadAndVerifyChecksum();
        CheckFingerprint<TNetwork>(reader, fingerprint);

        string optimizerName;
        try
        {
            optimizerName = StrictUtf8.GetString(name);
        }
        catch (DecoderFallbackException)
        {
            throw InvalidHeader(reader, "optimizer name", "UTF-8 text", Convert.ToHexString(name));
        }
        return new Checkpoint(parameters, stepCount, optimizerName, state);
    }

    /// <summary>Puts a checked checkpoint into the optimizer, then the network; refuses before changing either.</summary>
    private static void Apply(Checkpoint checkpoint, float[] target, Optimizer optimizer, string source)
    {
        string expectedName = OptimizerName(optimizer);
        if (checkpoint.OptimizerName != expectedName)
        {
            throw new NetworkFileException(NetworkFileError.OptimizerMismatch,
                $"{source} holds the state of a {checkpoint.OptimizerName} optimizer; it cannot be loaded into a {expectedName}.",
                expectedName, checkpoint.OptimizerName);
        }
        if (checkpoint.StepCount == 0 && checkpoint.State.Length == 0)
        {
            optimizer.Reset();
        }
        else
        {
            try
            {
                // Checks everything before it changes anything.
                optimizer.RestoreState(checkpoint.StepCount, checkpoint.State);
            }
            catch (ArgumentException e)
            {
                throw new NetworkFileException(NetworkFileError.OptimizerMismatch,
                    $"{source} holds {checkpoint.State.Length} optimizer state vectors after {checkpoint.StepCount} steps, which this {expectedName} cannot take " +
                    $"(is it configured like the one that was saved?): {e.Message}",
                    expectedName, $"{checkpoint.OptimizerName} with {checkpoint.State.Length} state vectors");
            }
        }
        checkpoint.Parameters.CopyTo(target, 0);
    }

    private static NetworkFileException InvalidHeader(RecordReader reader, string field, string expected, string found)
        => new(NetworkFileError.InvalidHeader, $"{reader.Source} has an invalid {field}: expected {expected}, found {found}.", expected, found);

    private static string KindName(ushort kind) => kind switch
    {
        ParametersKind => "weights",
        CheckpointKind => "checkpoint",
        _ => "unknown",
    };

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes a record to a stream, keeping the running CRC-32 of every byte written.</summary>
    private sealed class RecordWriter(Stream stream)
    {
        private uint _crc = Crc32.Initial;

        public void Write(ReadOnlySpan<byte> bytes)
        {
            stream.Write(bytes);
            _crc = Crc32.Update(_crc, bytes);
        }

        public void WriteFloats(ReadOnlySpan<float> values)
        {
            if (BitConverter.IsLittleEndian)
            {
                Write(MemoryMarshal.AsBytes(values));
                return;
            }
            Span<byte> chunk = stackalloc byte[1024];
            while (!values.IsEmpty)
            {
                int n = Math.Min(values.Length, chunk.Length / 4);
                for (int i = 0; i < n; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(chunk[(4 * i)..], values[i]);
                }
                Write(chunk[..(4 * n)]);
                values = values[n..];
            }
        }

        public void WriteChecksum()
        {
            Span<byte> checksum = stackalloc byte[ChecksumSize];
            BinaryPrimitives.WriteUInt32LittleEndian(checksum, Crc32.Finish(_crc));
            stream.Write(checksum);
        }
    }

    /// <summary>Reads a record from a stream, keeping the running CRC-32 and turning a short read into <see cref="NetworkFileError.Truncated"/>.</summary>
    private sealed class RecordReader(Stream stream, string source, string networkName)
    {
        private uint _crc = Crc32.Initial;

        /// <summary>How the file or stream is named in messages.</summary>
        public string Source => source;

        /// <summary>The network's type name, for messages.</summary>
        public string NetworkName => networkName;

        /// <summary>Bytes of the record read so far.</summary>
        public long Position { get; private set; }

        /// <summary>The length of the whole record, as far as it is known yet.</summary>
        public long ExpectedLength { get; set; }

        /// <summary>Whether <see cref="ExpectedLength"/> is only a lower bound (a checkpoint before its header is read).</summary>
        public bool ExpectedLengthIsMinimum { get; set; }

        public void ReadMagic()
        {
            Span<byte> magic = stackalloc byte[8];
            int read = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
            bool matches = magic[..read].SequenceEqual(Magic[..read]);
            if (read == magic.Length && matches)
            {
                _crc = Crc32.Update(_crc, magic);
                Position = read;
                return;
            }
            if (!matches)
            {
                throw new NetworkFileException(NetworkFileError.NotANetworkFile,
                    $"{source} is not a NetGen file: it starts with the bytes {Convert.ToHexString(magic[..read])} instead of NetGen's magic {Convert.ToHexString(Magic)}.",
                    Convert.ToHexString(Magic), Convert.ToHexString(magic[..read]));
            }
            throw TruncatedAt(read, "magic bytes", magic.Length);
        }

        public void Read(Span<byte> destination, string what)
        {
            int read = stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
            if (read < destination.Length)
            {
                throw TruncatedAt(Position + read, what, destination.Length);
            }
            _crc = Crc32.Update(_crc, destination);
            Position += read;
        }

        /// <summary>
        /// Reads <paramref name="length"/> bytes whose length the file itself gives, in chunks, so that the buffer never
        /// grows beyond what the file really holds: a hostile length ends as a truncated file, not as a huge allocation.
        /// </summary>
        public byte[] ReadBytes(uint length, string what)
        {
            const int Chunk = 64 * 1024;
            if (length <= Chunk)
            {
                var small = new byte[length];
                Read(small, what);
                return small;
            }
            using var collected = new MemoryStream();
            var chunk = new byte[Chunk];
            for (long left = length; left > 0;)
            {
                int n = (int)Math.Min(left, Chunk);
                Read(chunk.AsSpan(0, n), what);
                collected.Write(chunk, 0, n);
                left -= n;
            }
            return collected.ToArray();
        }

        public void ReadFloats(float[] destination, string what)
        {
            Read(MemoryMarshal.AsBytes(destination.AsSpan()), what);
            if (!BitConverter.IsLittleEndian)
            {
                Span<int> bits = MemoryMarshal.Cast<float, int>(destination.AsSpan());
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }
        }

        public void ReadAndVerifyChecksum()
        {
            uint computed = Crc32.Finish(_crc);
            Span<byte> field = stackalloc byte[ChecksumSize];
            int read = stream.ReadAtLeast(field, field.Length, throwOnEndOfStream: false);
            if (read < field.Length)
            {
                throw TruncatedAt(Position + read, "checksum", field.Length);
            }
            Position += read;
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(field);
            if (stored != computed)
            {
                throw new NetworkFileException(NetworkFileError.ChecksumMismatch,
                    $"{source} is damaged: its stored CRC-32 is 0x{stored:X8}, but its first {Position - ChecksumSize} bytes give 0x{computed:X8}.",
                    $"0x{computed:X8}", $"0x{stored:X8}");
            }
        }

        /// <summary>For whole files: nothing may follow the checksum.</summary>
        public void ExpectEnd()
        {
            if (stream.ReadByte() != -1)
            {
                string length = stream.CanSeek ? Text(stream.Length) : "more";
                throw new NetworkFileException(NetworkFileError.TrailingData,
                    $"{source} goes on after the end of its record: the record is {Position} bytes, the file is {length} bytes.",
                    Text(Position), length);
            }
        }

        private NetworkFileException TruncatedAt(long end, string what, int fieldLength)
        {
            long fieldStart = Position;
            string complete = $"a complete file for {networkName} is {(ExpectedLengthIsMinimum ? "at least " : "")}{ExpectedLength} bytes";
            string message = end == 0
                ? $"{source} is empty; {complete}."
                : $"{source} is truncated: it ends after {end} bytes, inside the {what} (bytes {fieldStart} to {fieldStart + fieldLength - 1}); {complete}.";
            return new NetworkFileException(NetworkFileError.Truncated, message, Text(ExpectedLength), Text(end));
        }
    }
}
