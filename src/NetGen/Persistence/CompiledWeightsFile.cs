using System.Text;

namespace NetGen;

/// <summary>
/// Weights files for compiling into an assembly with <c>[Network(Weights = "name.weights")]</c>. The C# compiler
/// hands source generators additional files as text only, so this is the binary weights record of
/// <see cref="NetworkFile"/> (magic, version, shape fingerprint, parameters, preprocessing sections if any, CRC-32) in
/// Base64, after one header line: the generator checks everything the binary loader checks, at compile time. Saved
/// with a <see cref="Preprocessing"/>, the network gets it too, as a static <c>CompiledPreprocessing</c> property.
/// </summary>
/// <example>
/// <code>
/// CompiledWeightsFile.Save(trainedNet, "xor.weights");
/// // in the app's project file: &lt;AdditionalFiles Include="xor.weights" /&gt;
/// // on the declaration:        [Network(Weights = "xor.weights")]
/// </code>
/// </example>
public static class CompiledWeightsFile
{
    /// <summary>The first line of every such file.</summary>
    public const string Header = "NetGen weights, version 1: the Base64 of a binary weights record (docs/file-format.md)";

    private const int LineLength = 76;

    /// <summary>Writes the parameters of <paramref name="network"/> to <paramref name="path"/>, atomically.</summary>
    /// <exception cref="UnauthorizedAccessException">This user may not create a file in the folder of <paramref name="path"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist, or is a file.</exception>
    /// <exception cref="IOException">
    /// The file could not be written for another reason. Whatever is thrown, its message names <paramref name="path"/>,
    /// an existing file there is unchanged and no temporary file is left.
    /// </exception>
    public static void Save<TNetwork>(TNetwork network, string path) where TNetwork : class, INetwork<TNetwork>
        => Save(network, path, Preprocessing.None);

    /// <summary>Writes the parameters of <paramref name="network"/> and its <paramref name="preprocessing"/> to <paramref name="path"/>, atomically.</summary>
    /// <exception cref="ArgumentException">The standardizer has another number of features than the network has inputs.</exception>
    /// <exception cref="UnauthorizedAccessException">This user may not create a file in the folder of <paramref name="path"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder of <paramref name="path"/> does not exist, or is a file.</exception>
    /// <exception cref="IOException">
    /// The file could not be written for another reason. Whatever is thrown, its message names <paramref name="path"/>,
    /// an existing file there is unchanged and no temporary file is left.
    /// </exception>
    public static void Save<TNetwork>(TNetwork network, string path, Preprocessing preprocessing) where TNetwork : class, INetwork<TNetwork>
    {
        string text = ToText(network, preprocessing);
        NetworkFile.WriteAtomically(path, stream =>
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            stream.Write(bytes, 0, bytes.Length);
        });
    }

    /// <summary>The text of the weights file for <paramref name="network"/>.</summary>
    public static string ToText<TNetwork>(TNetwork network) where TNetwork : class, INetwork<TNetwork>
        => ToText(network, Preprocessing.None);

    /// <summary>The text of the weights file for <paramref name="network"/> with its <paramref name="preprocessing"/>.</summary>
    /// <exception cref="ArgumentException">The standardizer has another number of features than the network has inputs.</exception>
    public static string ToText<TNetwork>(TNetwork network, Preprocessing preprocessing) where TNetwork : class, INetwork<TNetwork>
    {
        using var record = new MemoryStream();
        NetworkFile.Save(network, record, preprocessing);
        string base64 = Convert.ToBase64String(record.GetBuffer(), 0, (int)record.Length);
        var text = new StringBuilder(Header.Length + base64.Length + base64.Length / LineLength + 4);
        text.Append(Header).Append('\n');
        for (int start = 0; start < base64.Length; start += LineLength)
        {
            text.Append(base64, start, Math.Min(LineLength, base64.Length - start)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Loads a file written by <see cref="Save{TNetwork}(TNetwork, string, Preprocessing)"/> into <paramref name="network"/>.</summary>
    /// <returns>The preprocessing saved with the parameters; <see cref="Preprocessing.None"/> when there is none.</returns>
    /// <exception cref="NetworkFileException">The file is not such a file, or its record is damaged or for another shape. The parameters are unchanged.</exception>
    public static Preprocessing Load<TNetwork>(TNetwork network, string path) where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(path);
        string[] lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Header)
        {
            throw new NetworkFileException(NetworkFileError.NotANetworkFile, $"'{path}' does not start with the line \"{Header}\".");
        }
        byte[] record;
        try
        {
            record = Convert.FromBase64String(string.Concat(lines.Skip(1)));
        }
        catch (FormatException error)
        {
            throw new NetworkFileException(NetworkFileError.NotANetworkFile, $"'{path}' is not valid Base64 after its header line: {error.Message}");
        }
        using var stream = new MemoryStream(record);
        return NetworkFile.Load(network, stream);
    }
}
