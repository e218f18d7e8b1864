using System.Globalization;
using System.IO.Compression;

namespace NetGen;

/// <summary>Reads data sets from comma-separated text.</summary>
public static class CsvData
{
    /// <summary>
    /// Reads a classification data set: one sample per line, its features followed by an integer class label in the
    /// last column. Features are multiplied by <paramref name="featureScale"/>; labels become one-hot targets of
    /// <paramref name="classCount"/> columns. A path ending in <c>.gz</c> is read through gzip.
    /// </summary>
    /// <exception cref="FormatException">A line is malformed; the message gives its number and what is wrong.</exception>
    public static (DataSet Data, int[] Labels) LoadClassification(string path, int classCount, float featureScale = 1f)
    {
        ArgumentNullException.ThrowIfNull(path);
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        return LoadClassification(reader, classCount, featureScale, Path.GetFileName(path));
    }

    /// <summary>Reads a classification data set from <paramref name="reader"/>; see the path overload.</summary>
    public static (DataSet Data, int[] Labels) LoadClassification(TextReader reader, int classCount, float featureScale = 1f, string sourceName = "the data")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        var features = new List<float>();
        var labels = new List<int>();
        int featureCount = -1, lineNumber = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            string[] fields = line.Split(',');
            if (featureCount < 0)
            {
                featureCount = fields.Length - 1;
                if (featureCount < 1)
                {
                    throw new FormatException($"{sourceName}, line {lineNumber}: expected features and a label separated by commas, found {fields.Length} field.");
                }
            }
            else if (fields.Length != featureCount + 1)
            {
                throw new FormatException($"{sourceName}, line {lineNumber}: expected {featureCount + 1} fields like line 1, found {fields.Length}.");
            }
            for (int i = 0; i < featureCount; i++)
            {
                if (!float.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                {
                    throw new FormatException($"{sourceName}, line {lineNumber}, field {i + 1}: '{fields[i]}' is not a number.");
                }
                features.Add(value * featureScale);
            }
            string last = fields[featureCount];
            if (!double.TryParse(last, NumberStyles.Float, CultureInfo.InvariantCulture, out double labelValue)
                || labelValue != Math.Floor(labelValue) || labelValue < 0 || labelValue >= classCount)
            {
                throw new FormatException($"{sourceName}, line {lineNumber}: the label '{last}' is not a class number in [0, {classCount}).");
            }
            labels.Add((int)labelValue);
        }
        if (labels.Count == 0)
        {
            throw new FormatException($"{sourceName} holds no samples.");
        }
        int[] labelArray = labels.ToArray();
        return (new DataSet(features.ToArray(), DataSet.OneHot(labelArray, classCount), featureCount, classCount), labelArray);
    }
}
