using System.IO.Compression;
using NetGen;

namespace WebDigits.Digits;

/// <summary>The shipped UCI digits (data/digits/digits.csv.gz, embedded in this assembly), split as the Digits sample splits them.</summary>
public static class DigitsData
{
    /// <summary>
    /// The 1,797 digits, values scaled by 1/16: four fifths to train on and the fifth the Digits sample tests on (and the
    /// compiled-in network never saw): <c>Split(0.8, seed: 42)</c>.
    /// </summary>
    public static (DataSet Training, DataSet Test) Load()
    {
        using Stream compressed = typeof(DigitsData).Assembly.GetManifestResourceStream("digits.csv.gz")
            ?? throw new InvalidOperationException("The resource digits.csv.gz is not embedded in WebDigits: see WebDigits.csproj.");
        using var reader = new StreamReader(new GZipStream(compressed, CompressionMode.Decompress));
        var (all, _) = CsvData.LoadClassification(reader, classCount: 10, featureScale: 1f / 16f, sourceName: "digits.csv.gz");
        return all.Split(0.8, seed: 42);
    }
}
