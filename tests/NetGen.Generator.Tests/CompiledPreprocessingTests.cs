using System.Buffers.Binary;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests;

/// <summary>
/// Weights files of format version 2: the generator reads their sections, compiles the standardizer in as the
/// network's static CompiledPreprocessing, and refuses (NG0023) what the runtime refuses.
/// </summary>
public class CompiledPreprocessingTests
{
    private const string WeightsPath = "/project/xor.weights";

    private static string XorWithWeights()
        => Declarations.Xor.Replace("[Network(Loss = Loss.MeanSquaredError)]", "[Network(Loss = Loss.MeanSquaredError, Weights = \"xor.weights\")]", StringComparison.Ordinal);

    private static GeneratorRun Run(string text)
        => GeneratorHarness.Run(GeneratorHarness.CreateDriver([new InMemoryAdditionalText(WeightsPath, text)]), GeneratorHarness.CreateCompilation(XorWithWeights()));

    /// <summary>XorNet's weights text (seed-1 parameters) turned into version 2 with the given sections, as docs/file-format.md lays them out.</summary>
    private static string Version2Text(params (string Name, ushort Version, ushort Flags, byte[] Payload)[] sections)
    {
        INetworkCalls xor = ValidDeclarationTests.LoadDeclaration(nameof(Declarations.Xor), "Samples.XorNet");
        float[] parameters = new float[xor.ParameterCount];
        xor.InitializeParameters(parameters, seed: 1);
        string[] lines = xor.WeightsFileText(parameters).Split('\n');
        var record = new List<byte>(Convert.FromBase64String(string.Concat(lines.Skip(1)))[..^4]);
        record[8] = 2;
        record.AddRange(BitConverter.GetBytes((uint)sections.Length));
        foreach (var (name, version, flags, payload) in sections)
        {
            record.AddRange(BitConverter.GetBytes((ushort)name.Length));
            record.AddRange(Encoding.UTF8.GetBytes(name));
            record.AddRange(BitConverter.GetBytes(version));
            record.AddRange(BitConverter.GetBytes(flags));
            record.AddRange(BitConverter.GetBytes((uint)payload.Length));
            record.AddRange(payload);
        }
        record.AddRange(BitConverter.GetBytes(Crc32(record)));
        return lines[0] + "\n" + Convert.ToBase64String(record.ToArray()) + "\n";
    }

    /// <summary>CRC-32 (zlib's), bit by bit.</summary>
    private static uint Crc32(IEnumerable<byte> bytes)
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

    private static byte[] Standardizer(params float[] meansThenDeviations)
    {
        var payload = new byte[4 + 4 * meansThenDeviations.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, (uint)(meansThenDeviations.Length / 2));
        for (int i = 0; i < meansThenDeviations.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(4 + 4 * i), meansThenDeviations[i]);
        }
        return payload;
    }

    [Fact]
    public void A_standardizer_saved_with_the_weights_is_compiled_in()
    {
        GeneratorRun run = Run(Version2Text(("notes", 1, 0, [7, 7]), ("standardizer", 1, 1, Standardizer(0.5f, -1.25f, 2f, 0.25f))));
        run.AssertCleanCompilation();
        Assert.Contains("global::NetGen.Standardizer(", run.Source("Samples.XorNet.Preprocessing.g.cs"));

        using var image = new MemoryStream();
        Assert.True(run.OutputCompilation.Emit(image).Success);
        image.Position = 0;
        var context = new AssemblyLoadContext(nameof(A_standardizer_saved_with_the_weights_is_compiled_in), isCollectible: true);
        Type network = context.LoadFromStream(image).GetType("Samples.XorNet", throwOnError: true)!;
        var preprocessing = (Preprocessing)network.GetProperty("CompiledPreprocessing", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        Assert.Equal([0.5f, -1.25f], preprocessing.Standardizer!.Mean);
        Assert.Equal([2f, 0.25f], preprocessing.Standardizer.StandardDeviation);
        context.Unload();
    }

    [Fact]
    public void Version_1_weights_compile_in_with_no_preprocessing()
    {
        INetworkCalls xor = ValidDeclarationTests.LoadDeclaration(nameof(Declarations.Xor), "Samples.XorNet");
        GeneratorRun run = Run(xor.WeightsFileText(new float[xor.ParameterCount]));
        run.AssertCleanCompilation();
        Assert.Contains("CompiledPreprocessing => global::NetGen.Preprocessing.None;", run.Source("Samples.XorNet.Preprocessing.g.cs"));
    }

    [Theory]
    [InlineData("vocabulary", 1, 1, "it holds the section \"vocabulary\", which it marks as required and this generator does not know (a newer NetGen wrote it)")]
    [InlineData("standardizer", 2, 1, "it holds version 2 of the section \"standardizer\"; this generator reads version 1")]
    public void A_section_this_generator_cannot_read_is_NG0023(string name, int version, int flags, string problem)
    {
        GeneratorRun run = Run(Version2Text((name, (ushort)version, (ushort)flags, Standardizer(0f, 0f, 1f, 1f))));
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0023", diagnostic.Id);
        Assert.Equal($"The weights file 'xor.weights' cannot be compiled in: {problem}. Write it with CompiledWeightsFile.Save", diagnostic.GetMessage());
        Assert.DoesNotContain(run.GeneratedSources, s => s.HintName.EndsWith(".Preprocessing.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void A_standardizer_with_a_zero_deviation_is_NG0023()
    {
        GeneratorRun run = Run(Version2Text(("standardizer", 1, 1, Standardizer(0f, 0f, 1f, 0f))));
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Contains("its standardizer has a standard deviation for feature 1 that is not finite and greater than 0", diagnostic.GetMessage());
    }

    [Fact]
    public void A_standardizer_for_another_input_size_is_a_compile_error()
    {
        GeneratorRun run = Run(Version2Text(("standardizer", 1, 1, Standardizer(0f, 0f, 0f, 1f, 1f, 1f))));
        Assert.Contains(run.OutputCompilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error
            && d.GetMessage().Contains("the standardizer in 'xor.weights' has 3 features; XorNet has 2 inputs", StringComparison.Ordinal));
    }
}
