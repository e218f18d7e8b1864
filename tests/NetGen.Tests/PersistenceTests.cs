using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace NetGen.Tests;

/// <summary>
/// NetworkFile: weights and checkpoints round-trip bitwise, every damaged or foreign file is refused with its reason
/// and leaves the network (and optimizer) untouched, hostile headers allocate nothing, saving is atomic, and training
/// resumed from a checkpoint is bitwise the training that never stopped.
/// </summary>
public sealed partial class PersistenceTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("netgen-persistence-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private static byte[] Bits(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static T Seeded<T>(int seed) where T : class, INetwork<T>, new()
    {
        var net = new T();
        T.InitializeParameters(net.Parameters, seed);
        return net;
    }

    private static byte[] WeightsOf<T>(T net) where T : class, INetwork<T>
    {
        var stream = new MemoryStream();
        NetworkFile.Save(net, stream);
        return stream.ToArray();
    }

    private static byte[] CheckpointOf<T>(T net, Optimizer optimizer) where T : class, INetwork<T>
    {
        var stream = new MemoryStream();
        NetworkFile.SaveCheckpoint(net, optimizer, stream);
        return stream.ToArray();
    }

    /// <summary>Rewrites the trailing CRC-32 so that a deliberately edited header is refused for the edit, not the checksum.</summary>
    private static byte[] WithValidChecksum(byte[] file)
    {
        byte[] copy = file.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(copy.Length - 4), ReferenceCrc32(copy.AsSpan(0, copy.Length - 4)));
        return copy;
    }

    /// <summary>CRC-32 (IEEE, as zlib.crc32), bit by bit: independent of the runtime's table-driven one.</summary>
    private static uint ReferenceCrc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
            }
        }
        return ~crc;
    }

    /// <summary>Loads <paramref name="file"/> into a seeded network, through a file and through a stream; both must refuse it and leave the parameters alone.</summary>
    private NetworkFileException LoadFails<T>(byte[] file, NetworkFileError? expected = null) where T : class, INetwork<T>, new()
    {
        var net = Seeded<T>(11);
        byte[] before = Bits(net.Parameters);

        string path = PathOf($"refused-{Guid.NewGuid():N}.ngw");
        File.WriteAllBytes(path, file);
        var fromFile = Assert.Throws<NetworkFileException>(() => NetworkFile.Load(net, path));
        Assert.Equal(before, Bits(net.Parameters));
        File.Delete(path);

        var fromStream = Assert.Throws<NetworkFileException>(() => NetworkFile.Load(net, new MemoryStream(file)));
        Assert.Equal(before, Bits(net.Parameters));

        if (expected is { } reason)
        {
            Assert.Equal(reason, fromFile.Reason);
            Assert.Equal(reason, fromStream.Reason);
        }
        Assert.Contains(path, fromFile.Message);
        return fromFile;
    }

    // ---- the shape fingerprint ----

    [Fact]
    public void The_fingerprint_is_FNV1a_64_over_the_documented_little_endian_integers()
    {
        var bytes = new List<byte>();
        void Add(int value)
        {
            var field = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(field, value);
            bytes.AddRange(field);
        }
        Add(2);                                                          // input size
        Add(2);                                                          // layers
        Add((int)LayerKind.Dense); Add(2); Add(4); Add((int)Activation.Tanh);
        Add((int)LayerKind.Dense); Add(4); Add(1); Add((int)Activation.Sigmoid);
        ulong hash = 0xcbf29ce484222325UL;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 0x100000001b3UL;
        }

        Assert.Equal(hash, ShapeFingerprint.Of<XorNet>());
        Assert.Equal(hash, ShapeFingerprint.Compute(2, [(0, 2, 4, 3), (0, 4, 1, 2)]));
        Assert.Equal(hash, ShapeFingerprint.Compute(XorNet.InputSize, XorNet.Layers));
        // Pinned: a change to the fingerprint makes every saved file unreadable, so it must be deliberate
        // (a new format version) and the documentation's example must change with it.
        Assert.Equal(0x702A57F03A289357UL, hash);
    }

    [Fact]
    public void The_fingerprint_covers_the_layers_but_not_the_loss_or_the_unrolling()
    {
        ulong xor = ShapeFingerprint.Of<XorNet>();
        Assert.Equal(xor, ShapeFingerprint.Of<XorNetLooped>());  // UnrollThreshold = 0
        Assert.Equal(xor, ShapeFingerprint.Of<XorNetBce>());     // another loss
        Assert.NotEqual(xor, ShapeFingerprint.Of<XorNetReLU>()); // another activation, same parameter count
        Assert.Equal(XorNet.ParameterCount, XorNetReLU.ParameterCount);
        Assert.NotEqual(ShapeFingerprint.Compute(3, [(0, 3, 2, 0)]), ShapeFingerprint.Compute(2, [(0, 3, 2, 0)]));
        Assert.NotEqual(ShapeFingerprint.Compute(3, [(0, 3, 2, 0)]), ShapeFingerprint.Compute(3, [(0, 3, 2, 0), (0, 2, 2, 0)]));
    }

    [Fact]
    public void The_checksum_is_the_standard_CRC32()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8)); // the check value of CRC-32/ISO-HDLC
        byte[] file = WeightsOf(Seeded<MnistSizedNet>(3));
        Assert.Equal(ReferenceCrc32(file.AsSpan(0, file.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(file.Length - 4)));
    }

    // ---- weights files ----

    [Fact]
    public void A_weights_file_has_the_documented_layout()
    {
        var net = Seeded<XorNet>(5);
        byte[] file = WeightsOf(net);

        Assert.Equal(NetworkFile.WeightsFileLength<XorNet>(), file.Length);
        Assert.Equal(24 + 4 * XorNet.ParameterCount + 4, file.Length);
        Assert.Equal(new byte[] { 0x89, 0x4E, 0x65, 0x74, 0x47, 0x65, 0x6E, 0x1A }, file[..8]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8)));  // format version
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(10))); // kind: weights
        Assert.Equal((uint)XorNet.ParameterCount, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12)));
        Assert.Equal(ShapeFingerprint.Of<XorNet>(), BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(16)));
        for (int i = 0; i < XorNet.ParameterCount; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(net.Parameters[i]), BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(24 + 4 * i)));
        }
    }

    [Fact]
    public void Weights_round_trip_bitwise_through_a_file_and_a_stream()
    {
        var net = Seeded<MnistSizedNet>(1);
        // Values whose bits a careless format would change: negative zero, infinities, a NaN payload, subnormals.
        net.Parameters[0] = -0f;
        net.Parameters[1] = float.PositiveInfinity;
        net.Parameters[2] = float.NegativeInfinity;
        net.Parameters[3] = BitConverter.Int32BitsToSingle(0x7FC0_1234);
        net.Parameters[4] = float.Epsilon;
        net.Parameters[5] = -float.Epsilon * 3;
        net.Parameters[6] = float.MaxValue;

        string path = PathOf("mnist.ngw");
        NetworkFile.Save(net, path);
        Assert.Equal(NetworkFile.WeightsFileLength<MnistSizedNet>(), new FileInfo(path).Length);
        var loaded = Seeded<MnistSizedNet>(2);
        NetworkFile.Load(loaded, path);
        Assert.Equal(Bits(net.Parameters), Bits(loaded.Parameters));

        var stream = new MemoryStream();
        NetworkFile.Save(net, stream);
        Assert.Equal(File.ReadAllBytes(path), stream.ToArray());
        stream.Position = 0;
        var fromStream = Seeded<MnistSizedNet>(3);
        NetworkFile.Load(fromStream, stream);
        Assert.Equal(Bits(net.Parameters), Bits(fromStream.Parameters));
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void A_trained_network_predicts_the_same_after_a_round_trip()
    {
        var net = new XorNet();
        Trainer.Train(net, TrainingTests.Xor, new TrainingOptions { Epochs = 300, BatchSize = TrainingOptions.FullBatch, LearningRate = 2f });
        string path = PathOf("xor.ngw");
        NetworkFile.Save(net, path);
        var loaded = Seeded<XorNet>(9);
        NetworkFile.Load(loaded, path);
        float[] expected = new float[1], actual = new float[1];
        for (int s = 0; s < TrainingTests.Xor.Count; s++)
        {
            net.Predict(TrainingTests.Xor.GetFeatures(s), expected);
            loaded.Predict(TrainingTests.Xor.GetFeatures(s), actual);
            Assert.Equal(BitConverter.SingleToInt32Bits(expected[0]), BitConverter.SingleToInt32Bits(actual[0]));
        }
    }

    [Fact]
    public void Weights_load_into_any_network_of_the_same_shape()
    {
        var net = Seeded<XorNet>(4);
        byte[] file = WeightsOf(net);
        var looped = new XorNetLooped();
        NetworkFile.Load(looped, new MemoryStream(file));
        Assert.Equal(Bits(net.Parameters), Bits(looped.Parameters));
        var bce = new XorNetBce();
        NetworkFile.Load(bce, new MemoryStream(file));
        Assert.Equal(Bits(net.Parameters), Bits(bce.Parameters));
    }

    [Fact]
    public void Records_can_follow_each_other_in_one_stream()
    {
        var first = Seeded<XorNet>(1);
        var second = Seeded<MnistSizedNet>(2);
        var stream = new MemoryStream();
        NetworkFile.Save(first, stream);
        NetworkFile.Save(second, stream);
        stream.Position = 0;
        var a = new XorNet();
        var b = new MnistSizedNet();
        NetworkFile.Load(a, stream);
        NetworkFile.Load(b, stream);
        Assert.Equal(Bits(first.Parameters), Bits(a.Parameters));
        Assert.Equal(Bits(second.Parameters), Bits(b.Parameters));
    }

    // ---- refused weights files ----

    [Fact]
    public void A_truncated_file_is_refused_at_every_offset()
    {
        byte[] file = WeightsOf(Seeded<XorNet>(1));
        foreach (int length in new[] { 0, 1, 7, 8, 9, 10, 12, 16, 20, 23, 24, 25, 27, 28, 50, file.Length - 5, file.Length - 4, file.Length - 3, file.Length - 1 })
        {
            var error = LoadFails<XorNet>(file[..length], NetworkFileError.Truncated);
            Assert.Equal(file.Length.ToString(), error.Expected);
            Assert.Equal(length.ToString(), error.Found);
            Assert.Contains(length == 0 ? "empty" : "truncated", error.Message);
            Assert.Contains($"{file.Length} bytes", error.Message);
        }
    }

    [Fact]
    public void A_flipped_bit_in_the_parameters_or_the_checksum_fails_the_checksum()
    {
        byte[] file = WeightsOf(Seeded<XorNet>(1));
        foreach (int offset in new[] { 24, 25, 40, 24 + 4 * XorNet.ParameterCount - 1, file.Length - 4, file.Length - 1 })
        {
            foreach (byte mask in new byte[] { 0x01, 0x80 })
            {
                byte[] damaged = file.ToArray();
                damaged[offset] ^= mask;
                var error = LoadFails<XorNet>(damaged, NetworkFileError.ChecksumMismatch);
                Assert.Contains("CRC-32", error.Message);
                Assert.NotEqual(error.Expected, error.Found);
            }
        }
        // The fingerprint is checked after the checksum, so damage there is reported as damage.
        byte[] fingerprintDamaged = file.ToArray();
        fingerprintDamaged[17] ^= 0x04;
        LoadFails<XorNet>(fingerprintDamaged, NetworkFileError.ChecksumMismatch);
    }

    [Fact]
    public void Every_single_damaged_byte_is_refused_and_changes_nothing()
    {
        byte[] file = WeightsOf(Seeded<XorNet>(1));
        for (int offset = 0; offset < file.Length; offset++)
        {
            byte[] damaged = file.ToArray();
            damaged[offset] ^= 0x20;
            LoadFails<XorNet>(damaged);
        }
    }

    [Fact]
    public void A_file_without_the_magic_bytes_is_not_a_network_file()
    {
        byte[] file = WeightsOf(Seeded<XorNet>(1));
        byte[] wrongMagic = file.ToArray();
        wrongMagic[1] = (byte)'X';
        var error = LoadFails<XorNet>(wrongMagic, NetworkFileError.NotANetworkFile);
        Assert.Contains("not a NetGen file", error.Message);
        Assert.Equal("894E657447656E1A", error.Expected);
        Assert.StartsWith("89586574", error.Found);

        LoadFails<XorNet>(Encoding.UTF8.GetBytes("weights: [0.1, 0.2, 0.3]\n"), NetworkFileError.NotANetworkFile);
        LoadFails<XorNet>("PK"u8.ToArray(), NetworkFileError.NotANetworkFile); // shorter than the magic, and not its start
    }

    [Fact]
    public void Another_format_version_is_refused_by_number()
    {
        byte[] file = WeightsOf(Seeded<XorNet>(1));
        foreach (ushort version in new ushort[] { 0, 3, 0xFFFF })
        {
            byte[] other = file.ToArray();
            BinaryPrimitives.WriteUInt16LittleEndian(other.AsSpan(8), version);
            var error = LoadFails<XorNet>(WithValidChecksum(other), NetworkFileError.UnsupportedVersion);
            Assert.Equal("1 or 2", error.Expected);
            Assert.Equal(version.ToString(), error.Found);
            Assert.Contains($"version {version}", error.Message);
        }
    }

    [Fact]
    public void A_file_of_another_shape_is_refused_with_both_fingerprints()
    {
        // The same parameter count, other activations: only the fingerprint tells them apart.
        var error = LoadFails<XorNet>(WeightsOf(Seeded<XorNetReLU>(1)), NetworkFileError.ShapeMismatch);
        Assert.Contains($"0x{ShapeFingerprint.Of<XorNet>():X16}", error.Message);
        Assert.Contains($"0x{ShapeFingerprint.Of<XorNetReLU>():X16}", error.Message);
        Assert.Contains("same number of parameters", error.Message);
        Assert.Equal($"17 parameters, fingerprint 0x{ShapeFingerprint.Of<XorNet>():X16}", error.Expected);

        // Another parameter count: refused from the header alone.
        error = LoadFails<XorNet>(WeightsOf(Seeded<U1IdentityMse>(1)), NetworkFileError.ShapeMismatch);
        Assert.Contains("8 parameters", error.Message);
        Assert.Contains("17 parameters", error.Message);
        error = LoadFails<XorNet>(WeightsOf(Seeded<MnistSizedNet>(1)), NetworkFileError.ShapeMismatch);
        Assert.Contains($"{MnistSizedNet.ParameterCount} parameters", error.Message);
    }

    [Fact]
    public void A_header_claiming_two_billion_parameters_allocates_nothing()
    {
        byte[] file = WeightsOf(Seeded<XorNet>(1));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), 1u << 31);
        byte[] hostile = WithValidChecksum(file);
        var net = Seeded<XorNet>(2);
        byte[] before = Bits(net.Parameters);
        Assert.Throws<NetworkFileException>(() => NetworkFile.Load(net, new MemoryStream(hostile))); // warm up

        var stream = new MemoryStream(hostile);
        long start = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<NetworkFileException>(() => NetworkFile.Load(net, stream));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - start;

        Assert.Equal(NetworkFileError.ShapeMismatch, error.Reason);
        Assert.Contains("2147483648 parameters", error.Message);
        Assert.True(allocated < 64 * 1024, $"refusing the header allocated {allocated} bytes");
        Assert.Equal(before, Bits(net.Parameters));

        // Through a file too (FileStream's own buffer included), and for a large network.
        string path = PathOf("hostile.ngw");
        File.WriteAllBytes(path, hostile);
        var mnist = new MnistSizedNet();
        Assert.Throws<NetworkFileException>(() => NetworkFile.Load(mnist, path));
        start = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<NetworkFileException>(() => NetworkFile.Load(mnist, path));
        allocated = GC.GetAllocatedBytesForCurrentThread() - start;
        Assert.True(allocated < 64 * 1024, $"refusing the header allocated {allocated} bytes");
    }

    [Fact]
    public void A_complete_record_followed_by_more_bytes_is_refused_as_a_file()
    {
        var net = Seeded<XorNet>(1);
        byte[] file = [.. WeightsOf(net), 0];
        string path = PathOf("trailing.ngw");
        File.WriteAllBytes(path, file);
        var target = Seeded<XorNet>(2);
        byte[] before = Bits(target.Parameters);
        var error = Assert.Throws<NetworkFileException>(() => NetworkFile.Load(target, path));
        Assert.Equal(NetworkFileError.TrailingData, error.Reason);
        Assert.Equal(before, Bits(target.Parameters));
        // A stream may hold more after the record: the stream overload reads exactly one record.
        NetworkFile.Load(target, new MemoryStream(file));
        Assert.Equal(Bits(net.Parameters), Bits(target.Parameters));
    }

    [Fact]
    public void A_checkpoint_is_not_a_weights_file_and_a_weights_file_is_not_a_checkpoint()
    {
        var net = Seeded<XorNet>(1);
        var error = LoadFails<XorNet>(CheckpointOf(net, new Sgd()), NetworkFileError.WrongFileKind);
        Assert.Contains("LoadCheckpoint", error.Message);

        var optimizer = new Adam();
        var target = Seeded<XorNet>(2);
        byte[] before = Bits(target.Parameters);
        error = Assert.Throws<NetworkFileException>(() => NetworkFile.LoadCheckpoint(target, optimizer, new MemoryStream(WeightsOf(net))));
        Assert.Equal(NetworkFileError.WrongFileKind, error.Reason);
        Assert.Contains("NetworkFile.Load", error.Message);
        Assert.Equal(before, Bits(target.Parameters));
        Assert.Equal(0, optimizer.StepCount);
    }

    // ---- atomic saving ----

    [Fact]
    public void A_save_that_fails_midway_leaves_the_old_file_whole_and_no_temporary_file()
    {
        string path = PathOf("model.ngw");
        NetworkFile.Save(Seeded<MnistSizedNet>(1), path);
        byte[] old = File.ReadAllBytes(path);

        var newer = Seeded<MnistSizedNet>(2);
        var failure = Assert.Throws<IOException>(() => NetworkFile.WriteAtomically(path, stream =>
        {
            NetworkFile.Save(newer, stream);
            stream.SetLength(stream.Length / 2);  // half the new record is written...
            throw new IOException("disk full");   // ...when the disk fills
        }));
        Assert.Equal($"Cannot save '{path}': disk full", failure.Message);
        Assert.Equal("disk full", failure.InnerException!.Message);
        Assert.Equal(old, File.ReadAllBytes(path));
        Assert.Equal(["model.ngw"], _directory.GetFiles().Select(f => f.Name));

        // The old file still loads.
        var net = new MnistSizedNet();
        NetworkFile.Load(net, path);
        Assert.Equal(Bits(Seeded<MnistSizedNet>(1).Parameters), Bits(net.Parameters));
    }

    [Fact]
    public void A_save_whose_final_move_fails_removes_the_temporary_file()
    {
        // A directory stands where the file should go, so File.Move cannot replace it.
        string path = PathOf("occupied");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "inside.txt"), "untouched");
        Assert.ThrowsAny<Exception>(() => NetworkFile.Save(Seeded<XorNet>(1), path));
        Assert.Empty(_directory.GetFiles());
        Assert.Equal("untouched", File.ReadAllText(Path.Combine(path, "inside.txt")));

        Assert.ThrowsAny<IOException>(() => NetworkFile.Save(Seeded<XorNet>(1), PathOf(Path.Combine("missing", "x.ngw"))));
        Assert.Empty(_directory.GetFiles());
        Assert.Equal(["occupied"], _directory.GetDirectories().Select(d => d.Name));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix permissions; the project's tests run on Linux
    public void Saving_into_a_read_only_folder_names_the_target_and_leaves_the_old_file()
    {
        string folder = PathOf("read-only");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "model.ngw");
        NetworkFile.Save(Seeded<XorNet>(1), path);
        byte[] old = File.ReadAllBytes(path);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            if (CanCreateFileIn(folder))
            {
                // Root ignores the permission bits; /sys refuses new files to root too, and is the read-only folder here.
                Assert.True(Directory.Exists("/sys") && !CanCreateFileIn("/sys"), "no folder that refuses root is available for this test");
                folder = "/sys";
                path = "/sys/model.ngw";
            }
            var error = Assert.Throws<UnauthorizedAccessException>(() => NetworkFile.Save(Seeded<XorNet>(2), path));
            Assert.StartsWith($"Cannot save '{path}': access is denied.", error.Message);
            Assert.Contains($"the folder '{folder}'", error.Message);
            Assert.DoesNotContain(".tmp", error.Message);
            Assert.IsType<UnauthorizedAccessException>(error.InnerException);
            var compiled = Assert.Throws<UnauthorizedAccessException>(() => CompiledWeightsFile.Save(Seeded<XorNet>(2), path));
            Assert.StartsWith($"Cannot save '{path}'", compiled.Message);
        }
        finally
        {
            File.SetUnixFileMode(PathOf("read-only"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Assert.Equal(old, File.ReadAllBytes(Path.Combine(PathOf("read-only"), "model.ngw")));
        Assert.Equal(["model.ngw"], Directory.GetFiles(PathOf("read-only")).Select(Path.GetFileName));
    }

    private static bool CanCreateFileIn(string folder)
    {
        string probe = Path.Combine(folder, $"probe-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    [Fact]
    public void Saving_under_a_file_instead_of_a_folder_names_the_target()
    {
        string file = PathOf("a-file");
        File.WriteAllText(file, "not a folder");
        string path = Path.Combine(file, "model.ngw");
        var error = Assert.Throws<DirectoryNotFoundException>(() => NetworkFile.Save(Seeded<XorNet>(1), path));
        Assert.Equal($"Cannot save '{path}': the folder '{file}' does not exist or is not a folder.", error.Message);
        Assert.Equal("not a folder", File.ReadAllText(file));
        Assert.Equal(["a-file"], _directory.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public void Saving_over_a_file_replaces_it_and_leaves_nothing_else()
    {
        string path = PathOf("model.ngw");
        File.WriteAllText(path, "an older file of any kind");
        var net = Seeded<XorNet>(3);
        NetworkFile.Save(net, path);
        NetworkFile.SaveCheckpoint(net, new Adam(), PathOf("model.ngc"));
        Assert.Equal(WeightsOf(net), File.ReadAllBytes(path));
        Assert.Equal(["model.ngc", "model.ngw"], _directory.GetFiles().Select(f => f.Name).Order());
    }

    // ---- checkpoints ----

    private static DataSet RandomClassification(int count, int seed)
    {
        var random = new DeterministicRandom(seed);
        var features = new float[count * S2ReLUSoftmaxCe.InputSize];
        var targets = new float[count * S2ReLUSoftmaxCe.OutputSize];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = random.NextSingle(-1f, 1f);
        }
        for (int s = 0; s < count; s++)
        {
            targets[s * S2ReLUSoftmaxCe.OutputSize + random.NextInt32(S2ReLUSoftmaxCe.OutputSize)] = 1f;
        }
        return new DataSet(features, targets, S2ReLUSoftmaxCe.InputSize, S2ReLUSoftmaxCe.OutputSize);
    }

    public static TheoryData<string> Optimizers => ["sgd", "sgd-momentum", "sgd-nesterov", "adagrad", "rmsprop", "rmsprop-momentum", "adam", "adamw"];

    private static Optimizer Create(string name) => name switch
    {
        "sgd" => new Sgd(),
        "sgd-momentum" => new Sgd(momentum: 0.9, dampening: 0.1, weightDecay: 1e-3),
        "sgd-nesterov" => new Sgd(momentum: 0.8, nesterov: true),
        "adagrad" => new Adagrad(learningRateDecay: 0.01),
        "rmsprop" => new RmsProp(),
        "rmsprop-momentum" => new RmsProp(momentum: 0.5, weightDecay: 1e-4),
        "adam" => new Adam(),
        "adamw" => new AdamW(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static TrainingOptions Options(string optimizer, int epochs, Optimizer instance) => new()
    {
        Epochs = epochs,
        BatchSize = 5,                                            // 24 samples: four batches of 5 and one of 4
        LearningRate = optimizer.StartsWith("sgd") ? 0.05f : 0.005f,
        Shuffle = false,                                          // the trainer's shuffling generator is not in a checkpoint
        Optimizer = instance,
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Training_resumed_from_a_checkpoint_is_bitwise_the_training_that_never_stopped(string optimizer)
    {
        const int total = 12, first = 5;
        DataSet data = RandomClassification(24, seed: 3);

        var uninterrupted = Seeded<S2ReLUSoftmaxCe>(21);
        Optimizer uninterruptedOptimizer = Create(optimizer);
        new Trainer<S2ReLUSoftmaxCe>(uninterrupted, Options(optimizer, total, uninterruptedOptimizer)).Train(data);

        var before = Seeded<S2ReLUSoftmaxCe>(21);
        Optimizer beforeOptimizer = Create(optimizer);
        new Trainer<S2ReLUSoftmaxCe>(before, Options(optimizer, first, beforeOptimizer)).Train(data);
        string path = PathOf($"{optimizer}.ngc");
        NetworkFile.SaveCheckpoint(before, beforeOptimizer, path);

        // A fresh process, in effect: another network instance with other parameters, a new optimizer and trainer.
        var resumed = Seeded<S2ReLUSoftmaxCe>(99);
        Optimizer resumedOptimizer = Create(optimizer);
        NetworkFile.LoadCheckpoint(resumed, resumedOptimizer, path);
        Assert.Equal(Bits(before.Parameters), Bits(resumed.Parameters));
        Assert.Equal(beforeOptimizer.StepCount, resumedOptimizer.StepCount);
        new Trainer<S2ReLUSoftmaxCe>(resumed, Options(optimizer, total - first, resumedOptimizer)).Train(data);

        Assert.Equal(5 * total, uninterruptedOptimizer.StepCount);
        Assert.Equal(uninterruptedOptimizer.StepCount, resumedOptimizer.StepCount);
        Assert.Equal(Bits(uninterrupted.Parameters), Bits(resumed.Parameters));
        Assert.Equal(uninterruptedOptimizer.State.Count, resumedOptimizer.State.Count);
        for (int i = 0; i < uninterruptedOptimizer.State.Count; i++)
        {
            Assert.Equal(Bits(uninterruptedOptimizer.State[i]), Bits(resumedOptimizer.State[i]));
        }
        // And training did something: the parameters moved from where the checkpoint was taken.
        Assert.NotEqual(Bits(before.Parameters), Bits(resumed.Parameters));
    }

    [Fact]
    public void A_checkpoint_has_the_documented_layout()
    {
        var net = Seeded<XorNet>(1);
        var adam = new Adam();
        new Trainer<XorNet>(net, new TrainingOptions { Epochs = 3, BatchSize = 2, Shuffle = false, Optimizer = adam }).Train(TrainingTests.Xor);
        byte[] file = CheckpointOf(net, adam);
        byte[] name = "NetGen.Adam"u8.ToArray();
        int n = XorNet.ParameterCount;

        Assert.Equal(40 + name.Length + 4 * n * 3 + 4, file.Length);
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(10)));             // kind: checkpoint
        Assert.Equal(6L, BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(24)));             // steps: 3 epochs of 2 batches
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(32)));            // state vectors
        Assert.Equal((uint)name.Length, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(36)));
        Assert.Equal(name, file[40..(40 + name.Length)]);
        int offset = 40 + name.Length;
        Assert.Equal(Bits(net.Parameters), file[offset..(offset + 4 * n)]);
        Assert.Equal(Bits(adam.State[0]), file[(offset + 4 * n)..(offset + 8 * n)]);
        Assert.Equal(Bits(adam.State[1]), file[(offset + 8 * n)..(offset + 12 * n)]);
        Assert.Equal(ReferenceCrc32(file.AsSpan(0, file.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(file.Length - 4)));
    }

    private static (XorNet Net, Adam Optimizer, byte[] File) TrainedCheckpoint()
    {
        var net = Seeded<XorNet>(1);
        var adam = new Adam();
        new Trainer<XorNet>(net, new TrainingOptions { Epochs = 2, BatchSize = 2, Shuffle = false, Optimizer = adam }).Train(TrainingTests.Xor);
        return (net, adam, CheckpointOf(net, adam));
    }

    /// <summary>Loads a refused checkpoint into a trained network and optimizer, through a file and a stream: both must be unchanged.</summary>
    private NetworkFileException CheckpointFails(byte[] file, Func<Optimizer> optimizer, NetworkFileError? expected = null)
    {
        var net = Seeded<XorNet>(7);
        Optimizer target = optimizer();
        target.Step(new float[XorNet.ParameterCount], Enumerable.Repeat(0.5f, XorNet.ParameterCount).ToArray(), 0.1f);
        byte[] parameters = Bits(net.Parameters);
        long steps = target.StepCount;
        byte[][] state = target.State.Select(Bits).ToArray();

        string path = PathOf($"refused-{Guid.NewGuid():N}.ngc");
        File.WriteAllBytes(path, file);
        var fromFile = Assert.Throws<NetworkFileException>(() => NetworkFile.LoadCheckpoint(net, target, path));
        File.Delete(path);
        var fromStream = Assert.Throws<NetworkFileException>(() => NetworkFile.LoadCheckpoint(net, target, new MemoryStream(file)));

        Assert.Equal(parameters, Bits(net.Parameters));
        Assert.Equal(steps, target.StepCount);
        Assert.Equal(state, target.State.Select(Bits).ToArray());
        if (expected is { } reason)
        {
            Assert.Equal(reason, fromFile.Reason);
            Assert.Equal(reason, fromStream.Reason);
        }
        return fromFile;
    }

    [Fact]
    public void A_checkpoint_round_trips_bitwise()
    {
        var (net, adam, file) = TrainedCheckpoint();
        var loaded = Seeded<XorNet>(5);
        var loadedAdam = new Adam();
        NetworkFile.LoadCheckpoint(loaded, loadedAdam, new MemoryStream(file));
        Assert.Equal(Bits(net.Parameters), Bits(loaded.Parameters));
        Assert.Equal(adam.StepCount, loadedAdam.StepCount);
        Assert.Equal(adam.State.Select(Bits), loadedAdam.State.Select(Bits));
    }

    [Fact]
    public void A_checkpoint_taken_before_any_step_resets_the_optimizer()
    {
        var net = Seeded<XorNet>(1);
        byte[] file = CheckpointOf(net, new Adam());
        var target = Seeded<XorNet>(2);
        var used = new Adam();
        used.Step(target.Parameters, new float[XorNet.ParameterCount], 0.1f);
        NetworkFile.LoadCheckpoint(target, used, new MemoryStream(file));
        Assert.Equal(0, used.StepCount);
        Assert.Empty(used.State);
        Assert.Equal(Bits(net.Parameters), Bits(target.Parameters));
    }

    [Fact]
    public void A_checkpoint_of_another_optimizer_is_refused_by_name()
    {
        var (_, _, file) = TrainedCheckpoint();
        var error = CheckpointFails(file, () => new Sgd(momentum: 0.9), NetworkFileError.OptimizerMismatch);
        Assert.Equal("NetGen.Sgd", error.Expected);
        Assert.Equal("NetGen.Adam", error.Found);
        Assert.Contains("NetGen.Adam", error.Message);

        // The same type configured to keep other state: plain SGD keeps none, SGD with momentum keeps one vector.
        var net = Seeded<XorNet>(1);
        var momentum = new Sgd(momentum: 0.9);
        new Trainer<XorNet>(net, new TrainingOptions { Epochs = 1, Shuffle = false, Optimizer = momentum }).Train(TrainingTests.Xor);
        error = CheckpointFails(CheckpointOf(net, momentum), () => new Sgd(), NetworkFileError.OptimizerMismatch);
        Assert.Contains("1 optimizer state vectors", error.Message);
    }

    [Fact]
    public void A_damaged_checkpoint_is_refused_and_changes_neither_network_nor_optimizer()
    {
        var (_, _, file) = TrainedCheckpoint();
        foreach (int length in new[] { 0, 5, 8, 12, 24, 30, 39, 40, 45, 51, 60, file.Length / 2, file.Length - 4, file.Length - 1 })
        {
            CheckpointFails(file[..length], () => new Adam(), NetworkFileError.Truncated);
        }
        for (int offset = 0; offset < file.Length; offset++)
        {
            byte[] damaged = file.ToArray();
            damaged[offset] ^= 0x10;
            var error = CheckpointFails(damaged, () => new Adam());
            if (offset >= 40)
            {
                Assert.Equal(NetworkFileError.ChecksumMismatch, error.Reason);
            }
        }
        var shape = Seeded<XorNetReLU>(1);
        var shapeAdam = new Adam();
        shapeAdam.Step(shape.Parameters, new float[XorNetReLU.ParameterCount], 0.1f);
        CheckpointFails(CheckpointOf(shape, shapeAdam), () => new Adam(), NetworkFileError.ShapeMismatch);
    }

    [Fact]
    public void A_checkpoint_header_claiming_huge_sizes_allocates_nothing()
    {
        var (_, _, file) = TrainedCheckpoint();
        byte[] manyVectors = file.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(manyVectors.AsSpan(32), int.MaxValue);
        byte[] longName = file.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(longName.AsSpan(36), 1u << 31);
        byte[] negativeSteps = file.ToArray();
        BinaryPrimitives.WriteInt64LittleEndian(negativeSteps.AsSpan(24), -1);
        byte[] manyParameters = file.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(manyParameters.AsSpan(12), uint.MaxValue);

        foreach (var (hostile, reason) in new[]
        {
            (manyVectors, NetworkFileError.InvalidHeader), (longName, NetworkFileError.InvalidHeader),
            (negativeSteps, NetworkFileError.InvalidHeader), (manyParameters, NetworkFileError.ShapeMismatch),
        })
        {
            byte[] valid = WithValidChecksum(hostile);
            CheckpointFails(valid, () => new Adam(), reason);
            var net = new XorNet();
            var adam = new Adam();
            var stream = new MemoryStream(valid);
            long start = GC.GetAllocatedBytesForCurrentThread();
            Assert.Throws<NetworkFileException>(() => NetworkFile.LoadCheckpoint(net, adam, stream));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - start;
            Assert.True(allocated < 64 * 1024, $"refusing the header allocated {allocated} bytes");
        }
    }

    [Fact]
    public void Saving_a_checkpoint_with_another_network_s_optimizer_is_an_argument_error()
    {
        var mnist = new MnistSizedNet();
        var adam = new Adam();
        adam.Step(mnist.Parameters, new float[MnistSizedNet.ParameterCount], 0.01f);
        string path = PathOf("wrong.ngc");
        var error = Assert.Throws<ArgumentException>(() => NetworkFile.SaveCheckpoint(new XorNet(), adam, path));
        Assert.Contains($"{MnistSizedNet.ParameterCount} parameters", error.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(_directory.GetFiles());
    }
}
