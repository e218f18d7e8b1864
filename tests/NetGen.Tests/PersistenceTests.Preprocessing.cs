using System.Buffers.Binary;
using System.Text;

namespace NetGen.Tests;

/// <summary>
/// Format version 2: a weights file that carries the model's preprocessing (its standardizer) in a named, versioned
/// section; files without preprocessing stay version 1, older files still load, and every malformed section is
/// refused with the network untouched.
/// </summary>
public sealed partial class PersistenceTests
{
    private static readonly Standardizer XorStandardizer = new([0.5f, -1.25f], [2f, 0.25f]);

    private static byte[] ModelOf<T>(T net, Preprocessing preprocessing) where T : class, INetwork<T>
    {
        var stream = new MemoryStream();
        NetworkFile.Save(net, stream, preprocessing);
        return stream.ToArray();
    }

    /// <summary>A version 2 weights file written by hand from the documentation: the parameters of <paramref name="net"/>, then the given sections.</summary>
    private static byte[] Version2File(XorNet net, params (string Name, ushort Version, ushort Flags, byte[] Payload)[] sections)
    {
        var bytes = new List<byte>(WeightsOf(net)[..^4]);
        BinaryPrimitives.WriteUInt16LittleEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes)[8..], 2);
        void Add(ReadOnlySpan<byte> field) => bytes.AddRange(field.ToArray());
        var scratch = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(scratch, (uint)sections.Length);
        Add(scratch);
        foreach (var (name, version, flags, payload) in sections)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(name);
            BinaryPrimitives.WriteUInt16LittleEndian(scratch, (ushort)utf8.Length);
            Add(scratch.AsSpan(0, 2));
            Add(utf8);
            BinaryPrimitives.WriteUInt16LittleEndian(scratch, version);
            Add(scratch.AsSpan(0, 2));
            BinaryPrimitives.WriteUInt16LittleEndian(scratch, flags);
            Add(scratch.AsSpan(0, 2));
            BinaryPrimitives.WriteUInt32LittleEndian(scratch, (uint)payload.Length);
            Add(scratch);
            Add(payload);
        }
        Add(new byte[4]);
        return WithValidChecksum([.. bytes]);
    }

    private static byte[] StandardizerPayload(float[] mean, float[] deviation, uint? count = null)
    {
        var payload = new byte[4 + 4 * (mean.Length + deviation.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, count ?? (uint)mean.Length);
        for (int i = 0; i < mean.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(4 + 4 * i), mean[i]);
        }
        for (int i = 0; i < deviation.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(4 + 4 * (mean.Length + i)), deviation[i]);
        }
        return payload;
    }

    private static void AssertSameStandardizer(Standardizer expected, Standardizer? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(Bits([.. expected.Mean]), Bits([.. actual.Mean]));
        Assert.Equal(Bits([.. expected.StandardDeviation]), Bits([.. actual.StandardDeviation]));
    }

    [Fact]
    public void The_standardizer_round_trips_with_the_network_through_a_file_and_a_stream()
    {
        var net = Seeded<XorNet>(7);
        string path = PathOf("model.ngw");
        NetworkFile.Save(net, path, new Preprocessing(XorStandardizer));

        var loaded = new XorNet();
        Preprocessing preprocessing = NetworkFile.Load(loaded, path);
        Assert.Equal(Bits(net.Parameters), Bits(loaded.Parameters));
        AssertSameStandardizer(XorStandardizer, preprocessing.Standardizer);

        var fromStream = new XorNet();
        AssertSameStandardizer(XorStandardizer, NetworkFile.Load(fromStream, new MemoryStream(File.ReadAllBytes(path))).Standardizer);
        Assert.Equal(Bits(net.Parameters), Bits(fromStream.Parameters));

        // The loaded model predicts from raw features exactly as the saved one did.
        float[] raw = [3f, -2f], input = new float[2], expected = new float[1], actual = new float[1];
        XorStandardizer.Transform(raw, input);
        net.Predict(input, expected);
        preprocessing.Transform(raw, input);
        loaded.Predict(input, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_file_with_a_standardizer_has_the_documented_version_2_layout()
    {
        var net = Seeded<XorNet>(5);
        byte[] file = ModelOf(net, new Preprocessing(XorStandardizer));
        byte[] expected = Version2File(net, ("standardizer", 1, 1, StandardizerPayload([0.5f, -1.25f], [2f, 0.25f])));
        Assert.Equal(expected, file);
        int sections = 24 + 4 * XorNet.ParameterCount;
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(sections)));        // one section
        Assert.Equal(12, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(sections + 4)));     // "standardizer"
        Assert.Equal("standardizer", Encoding.ASCII.GetString(file, sections + 6, 12));
        Assert.Equal(4u + 8 * 2, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(sections + 22)));
        Assert.Equal(sections + 26 + 20 + 4, file.Length);
    }

    [Fact]
    public void Without_preprocessing_the_file_stays_version_1_and_loads_as_none()
    {
        var net = Seeded<XorNet>(5);
        Assert.Equal(WeightsOf(net), ModelOf(net, Preprocessing.None));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(WeightsOf(net).AsSpan(8)));
        var loaded = new XorNet();
        Preprocessing preprocessing = NetworkFile.Load(loaded, new MemoryStream(WeightsOf(net)));
        Assert.Same(Preprocessing.None, preprocessing);
        Assert.True(preprocessing.IsEmpty);
        Assert.Null(preprocessing.Standardizer);
    }

    [Fact]
    public void The_committed_version_1_fixture_still_loads()
    {
        var net = new XorNet();
        Preprocessing preprocessing = CompiledWeightsFile.Load(net, Path.Combine(AppContext.BaseDirectory, "Fixtures", "xor.weights"));
        Assert.True(preprocessing.IsEmpty);
        Assert.Contains(net.Parameters, p => p != 0f);
    }

    [Fact]
    public void A_standardizer_for_another_input_size_is_refused_when_saving()
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkFile.Save(Seeded<XorNet>(1), PathOf("model.ngw"), new Preprocessing(new Standardizer([0f, 0f, 0f], [1f, 1f, 1f]))));
        Assert.Equal("preprocessing", error.ParamName);
        Assert.Contains("The standardizer has 3 features; XorNet has 2 inputs", error.Message);
        Assert.Empty(_directory.GetFiles());
    }

    [Fact]
    public void A_standardizer_section_that_does_not_fit_is_refused_and_changes_nothing()
    {
        var net = Seeded<XorNet>(1);
        var wrongCount = LoadFails<XorNet>(Version2File(net, ("standardizer", 1, 1, StandardizerPayload([0f, 0f, 0f], [1f, 1f, 1f]))), NetworkFileError.InvalidSection);
        Assert.Contains("invalid \"standardizer\" section: it standardizes 3 features, but XorNet has 2 inputs", wrongCount.Message);
        var zero = LoadFails<XorNet>(Version2File(net, ("standardizer", 1, 1, StandardizerPayload([0f, 0f], [1f, 0f]))), NetworkFileError.InvalidSection);
        Assert.Contains("the standard deviation of feature 1 is 0; it must be a finite number greater than 0", zero.Message);
        var nan = LoadFails<XorNet>(Version2File(net, ("standardizer", 1, 1, StandardizerPayload([float.NaN, 0f], [1f, 1f]))), NetworkFileError.InvalidSection);
        Assert.Contains("the mean of feature 0 is NaN", nan.Message);
        var shortPayload = LoadFails<XorNet>(Version2File(net, ("standardizer", 1, 1, StandardizerPayload([0f, 0f], [1f]))), NetworkFileError.InvalidSection);
        Assert.Contains("its payload is 16 bytes; 2 features take 20", shortPayload.Message);
        var twice = StandardizerPayload([0f, 0f], [1f, 1f]);
        LoadFails<XorNet>(Version2File(net, ("standardizer", 1, 1, twice), ("standardizer", 1, 1, twice)), NetworkFileError.InvalidSection);
    }

    [Fact]
    public void An_unknown_section_is_skipped_when_optional_and_refused_when_required()
    {
        var net = Seeded<XorNet>(3);
        byte[] standardizer = StandardizerPayload([0.5f, -1.25f], [2f, 0.25f]);
        byte[] optional = Version2File(net, ("training-notes", 1, 0, "any bytes"u8.ToArray()), ("standardizer", 1, 1, standardizer));
        var loaded = new XorNet();
        AssertSameStandardizer(XorStandardizer, NetworkFile.Load(loaded, new MemoryStream(optional)).Standardizer);
        Assert.Equal(Bits(net.Parameters), Bits(loaded.Parameters));

        var required = LoadFails<XorNet>(Version2File(net, ("tokenizer", 1, 1, [1, 2, 3]), ("standardizer", 1, 1, standardizer)), NetworkFileError.UnsupportedSection);
        Assert.Contains("the section \"tokenizer\", which the file marks as required and this NetGen does not know", required.Message);
        var newer = LoadFails<XorNet>(Version2File(net, ("standardizer", 2, 1, standardizer)), NetworkFileError.UnsupportedSection);
        Assert.Contains("version 2 of the section \"standardizer\"; this NetGen reads version 1", newer.Message);
    }

    [Fact]
    public void Section_headers_beyond_the_limits_are_refused()
    {
        var net = Seeded<XorNet>(3);
        LoadFails<XorNet>(Version2File(net), NetworkFileError.InvalidHeader); // version 2 with no section
        var longName = LoadFails<XorNet>(Version2File(net, (new string('x', 65), 1, 0, [])), NetworkFileError.InvalidHeader);
        Assert.Contains("name length of section 0: expected 1 to 64 bytes, found 65", longName.Message);
        var many = Enumerable.Range(0, 17).Select(i => ($"s{i}", (ushort)1, (ushort)0, Array.Empty<byte>())).ToArray();
        Assert.Contains("section count: expected 1 to 16, found 17", LoadFails<XorNet>(Version2File(net, many), NetworkFileError.InvalidHeader).Message);
    }

    [Fact]
    public void A_version_2_file_truncated_anywhere_or_damaged_anywhere_is_refused_and_changes_nothing()
    {
        byte[] file = ModelOf(Seeded<XorNet>(1), new Preprocessing(XorStandardizer));
        for (int length = 0; length < file.Length; length++)
        {
            var error = LoadFails<XorNet>(file[..length], NetworkFileError.Truncated);
            Assert.Equal(length.ToString(), error.Found);
        }
        for (int offset = 0; offset < file.Length; offset++)
        {
            byte[] damaged = file.ToArray();
            damaged[offset] ^= 0x20;
            LoadFails<XorNet>(damaged);
        }
    }

    [Fact]
    public void A_payload_length_larger_than_the_file_allocates_no_more_than_the_file()
    {
        var net = Seeded<XorNet>(1);
        byte[] file = Version2File(net, ("standardizer", 1, 1, StandardizerPayload([0f, 0f], [1f, 1f])));
        int lengthField = 24 + 4 * XorNet.ParameterCount + 4 + 2 + 12 + 4;
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(lengthField), NetworkFile.MaxSectionBytes);
        byte[] hostile = WithValidChecksum(file);
        Assert.Throws<NetworkFileException>(() => NetworkFile.Load(net, new MemoryStream(hostile))); // warm up
        long start = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<NetworkFileException>(() => NetworkFile.Load(net, new MemoryStream(hostile)));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - start;
        Assert.Equal(NetworkFileError.Truncated, error.Reason);
        Assert.True(allocated < 256 * 1024, $"refusing a {NetworkFile.MaxSectionBytes}-byte payload in a {hostile.Length}-byte file allocated {allocated} bytes");

        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(lengthField), NetworkFile.MaxSectionBytes + 1u);
        Assert.Contains("expected at most 268435456 bytes", LoadFails<XorNet>(WithValidChecksum(file), NetworkFileError.InvalidHeader).Message);
    }

    [Fact]
    public void A_checkpoint_stays_version_1_and_a_version_2_checkpoint_is_refused()
    {
        var net = Seeded<XorNet>(1);
        byte[] checkpoint = CheckpointOf(net, new Adam());
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(checkpoint.AsSpan(8)));
        BinaryPrimitives.WriteUInt16LittleEndian(checkpoint.AsSpan(8), 2);
        var error = Assert.Throws<NetworkFileException>(() => NetworkFile.LoadCheckpoint(net, new Adam(), new MemoryStream(WithValidChecksum(checkpoint))));
        Assert.Equal(NetworkFileError.UnsupportedVersion, error.Reason);
        Assert.Equal("1", error.Expected);
    }

    [Fact]
    public void Compiled_weights_text_carries_the_standardizer_too()
    {
        var net = Seeded<XorNet>(9);
        string path = PathOf("xor.weights");
        CompiledWeightsFile.Save(net, path, new Preprocessing(XorStandardizer));
        Assert.StartsWith(CompiledWeightsFile.Header + "\n", File.ReadAllText(path));
        var loaded = new XorNet();
        AssertSameStandardizer(XorStandardizer, CompiledWeightsFile.Load(loaded, path).Standardizer);
        Assert.Equal(Bits(net.Parameters), Bits(loaded.Parameters));
    }

    [Fact]
    public void Preprocessing_without_a_standardizer_copies_and_checks_lengths()
    {
        float[] destination = new float[2];
        Preprocessing.None.Transform([1f, 2f], destination);
        Assert.Equal([1f, 2f], destination);
        Assert.Throws<ArgumentException>(() => Preprocessing.None.Transform([1f, 2f], new float[3]));
        var data = new DataSet([1f, 2f], [0f], 2, 1);
        Assert.Same(data, Preprocessing.None.Transform(data));
        Assert.Equal([0.25f, 13f], new Preprocessing(XorStandardizer).Transform(data).GetFeatures(0).ToArray());
    }
}
