using System.Globalization;
using System.IO.Compression;

namespace NetGen;

/// <summary>
/// Reads data sets from delimited text (CSV as in RFC 4180): one sample per row, numbers written with a decimal point
/// (the invariant culture), optionally a header row, quoted fields, any delimiter. <see cref="CsvOptions"/> says which
/// columns are targets; every other column is a feature. A path ending in <c>.gz</c> is read through gzip.
/// </summary>
/// <remarks>
/// Every error is a <see cref="FormatException"/> whose message names the file, the line and the field (1 for the
/// first), and what was expected there. NaN and infinity are refused unless <see cref="CsvOptions.AllowNonFiniteValues"/>.
/// </remarks>
public static class CsvData
{
    private const string DefaultSourceName = "the data";
    private static readonly CsvOptions DefaultOptions = new();

    /// <summary>
    /// Reads a classification data set: one sample per line, its features followed by an integer class label in the
    /// last column, comma-separated, no header. Features are multiplied by <paramref name="featureScale"/>; labels
    /// become one-hot targets of <paramref name="classCount"/> columns. A path ending in <c>.gz</c> is read through gzip.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <param name="classCount">The number of classes: labels are 0 to <paramref name="classCount"/> - 1.</param>
    /// <param name="featureScale">A factor every feature is multiplied by.</param>
    /// <returns>The data set, with one-hot targets, and the label of each sample.</returns>
    /// <exception cref="FormatException">A line is malformed; the message gives the file, the line, the field and what is wrong.</exception>
    public static (DataSet Data, int[] Labels) LoadClassification(string path, int classCount, float featureScale = 1f)
        => LoadClassification(path, classCount, new CsvOptions { FeatureScale = featureScale });

    /// <summary>Reads a classification data set from <paramref name="reader"/>; see the path overload.</summary>
    /// <param name="reader">The text to read.</param>
    /// <param name="classCount">The number of classes: labels are 0 to <paramref name="classCount"/> - 1.</param>
    /// <param name="featureScale">A factor every feature is multiplied by.</param>
    /// <param name="sourceName">How the text is named in error messages.</param>
    /// <returns>The data set, with one-hot targets, and the label of each sample.</returns>
    /// <exception cref="FormatException">A line is malformed; the message gives the line, the field and what is wrong.</exception>
    public static (DataSet Data, int[] Labels) LoadClassification(TextReader reader, int classCount, float featureScale = 1f, string sourceName = DefaultSourceName)
        => LoadClassification(reader, classCount, new CsvOptions { FeatureScale = featureScale }, sourceName);

    /// <summary>
    /// Reads a classification data set laid out as <paramref name="options"/> says: its one target column holds an
    /// integer class label, which becomes a one-hot target row of <paramref name="classCount"/> columns.
    /// </summary>
    /// <param name="path">The file to read; a name ending in <c>.gz</c> is read through gzip.</param>
    /// <param name="classCount">The number of classes: labels are 0 to <paramref name="classCount"/> - 1.</param>
    /// <param name="options">The delimiter, header, label column and the rest.</param>
    /// <returns>The data set, with one-hot targets, and the label of each sample.</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> names other than one target column, or an invalid delimiter.</exception>
    /// <exception cref="FormatException">The text is malformed; the message gives the file, the line, the field and what is wrong.</exception>
    public static (DataSet Data, int[] Labels) LoadClassification(string path, int classCount, CsvOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        CheckOptions(options, classification: true);
        using TextReader reader = Open(path);
        return ToClassification(Read(reader, options, Path.GetFileName(path)), classCount);
    }

    /// <summary>Reads a classification data set from <paramref name="reader"/>; see the path overload.</summary>
    /// <param name="reader">The text to read.</param>
    /// <param name="classCount">The number of classes: labels are 0 to <paramref name="classCount"/> - 1.</param>
    /// <param name="options">The delimiter, header, label column and the rest.</param>
    /// <param name="sourceName">How the text is named in error messages.</param>
    /// <returns>The data set, with one-hot targets, and the label of each sample.</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> names other than one target column, or an invalid delimiter.</exception>
    /// <exception cref="FormatException">The text is malformed; the message gives the line, the field and what is wrong.</exception>
    public static (DataSet Data, int[] Labels) LoadClassification(TextReader reader, int classCount, CsvOptions options, string sourceName = DefaultSourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        CheckOptions(options, classification: true);
        return ToClassification(Read(reader, options, sourceName), classCount);
    }

    /// <summary>
    /// Reads a regression data set laid out as <paramref name="options"/> says: the target columns (by default the
    /// last) give each sample's target row, as numbers, and the other columns its features.
    /// </summary>
    /// <param name="path">The file to read; a name ending in <c>.gz</c> is read through gzip.</param>
    /// <param name="options">The delimiter, header, target columns and the rest; null for the defaults.</param>
    /// <returns>The data set.</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> names no target column, or has an invalid delimiter.</exception>
    /// <exception cref="FormatException">The text is malformed; the message gives the file, the line, the field and what is wrong.</exception>
    public static DataSet LoadRegression(string path, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= DefaultOptions;
        CheckOptions(options, classification: false);
        using TextReader reader = Open(path);
        return ToRegression(Read(reader, options, Path.GetFileName(path)));
    }

    /// <summary>Reads a regression data set from <paramref name="reader"/>; see the path overload.</summary>
    /// <param name="reader">The text to read.</param>
    /// <param name="options">The delimiter, header, target columns and the rest; null for the defaults.</param>
    /// <param name="sourceName">How the text is named in error messages.</param>
    /// <returns>The data set.</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> names no target column, or has an invalid delimiter.</exception>
    /// <exception cref="FormatException">The text is malformed; the message gives the line, the field and what is wrong.</exception>
    public static DataSet LoadRegression(TextReader reader, CsvOptions? options = null, string sourceName = DefaultSourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= DefaultOptions;
        CheckOptions(options, classification: false);
        return ToRegression(Read(reader, options, sourceName));
    }

    private static TextReader Open(string path)
    {
        Stream file = File.OpenRead(path);
        Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        return new StreamReader(stream);
    }

    private static void CheckOptions(CsvOptions options, bool classification)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Delimiter is '"' or '\r' or '\n')
        {
            throw new ArgumentException($"The delimiter cannot be a quote or a line break; ',', ';' and '\\t' are usual.", nameof(options));
        }
        ArgumentNullException.ThrowIfNull(options.TargetColumns, "options.TargetColumns");
        ArgumentNullException.ThrowIfNull(options.IgnoredColumns, "options.IgnoredColumns");
        if (classification && options.TargetColumns.Count != 1)
        {
            throw new ArgumentException(
                $"A classification file has one label column; the options name {options.TargetColumns.Count} target columns.", nameof(options));
        }
        if (options.TargetColumns.Count == 0)
        {
            throw new ArgumentException("The options name no target column; name at least one (by default, the last column).", nameof(options));
        }
    }

    /// <summary>The numbers of the file, row by row; the targets as their text, for the caller to read as labels or numbers.</summary>
    private sealed class Table(string sourceName, int featureCount, IReadOnlyList<string> targetDescriptions)
    {
        public string SourceName => sourceName;
        public int FeatureCount => featureCount;
        public IReadOnlyList<string> TargetDescriptions => targetDescriptions;
        public List<float> Features { get; } = [];
        public List<string> Targets { get; } = [];
        public List<int> TargetLines { get; } = [];
        public bool AllowNonFiniteValues { get; init; }
        public int Count => TargetLines.Count;
    }

    private static Table Read(TextReader text, CsvOptions options, string sourceName)
    {
        var records = new CsvRecordReader(text, options.Delimiter, sourceName);
        var fields = new List<string>();
        string[]? header = null;
        int headerLine = 0;
        if (options.HasHeader)
        {
            if (!records.TryReadRecord(fields))
            {
                throw new FormatException($"{sourceName} is empty; expected a header row, then samples.");
            }
            header = [.. fields];
            headerLine = records.RecordLine;
        }
        if (!records.TryReadRecord(fields))
        {
            throw new FormatException($"{sourceName} holds no samples.");
        }
        int columnCount = fields.Count, firstLine = records.RecordLine;
        string[]? names = header is not null && header.Length == columnCount ? header : null;
        int[] targetColumns = Resolve(options.TargetColumns, "target", columnCount, header, names, headerLine, sourceName);
        int[] ignoredColumns = Resolve(options.IgnoredColumns, "ignored", columnCount, header, names, headerLine, sourceName);
        var role = new int[columnCount]; // 0: feature, 1: target, 2: ignored
        foreach (int column in targetColumns)
        {
            role[column] = 1;
        }
        foreach (int column in ignoredColumns)
        {
            if (role[column] == 1)
            {
                throw new ArgumentException($"Column {column + 1} of {sourceName} is both a target and ignored.", nameof(options));
            }
            role[column] = 2;
        }
        int[] featureColumns = Enumerable.Range(0, columnCount).Where(c => role[c] == 0).ToArray();
        if (featureColumns.Length == 0)
        {
            throw new FormatException(
                $"{sourceName}, line {firstLine}: its {columnCount} fields are all targets or ignored; expected features (separated by '{Show(options.Delimiter)}') besides the targets.");
        }

        var table = new Table(sourceName, featureColumns.Length, [.. targetColumns.Select(c => Describe(c, names))])
        {
            AllowNonFiniteValues = options.AllowNonFiniteValues,
        };
        do
        {
            int line = records.RecordLine;
            if (fields.Count != columnCount)
            {
                throw new FormatException(
                    $"{sourceName}, line {line}: expected {columnCount} fields like line {firstLine}, found {fields.Count} (fields are separated by '{Show(options.Delimiter)}').");
            }
            foreach (int column in featureColumns)
            {
                table.Features.Add(ParseNumber(fields[column], options.FeatureScale, table, line, column, names));
            }
            foreach (int column in targetColumns)
            {
                table.Targets.Add(fields[column]);
            }
            table.TargetLines.Add(line);
        }
        while (records.TryReadRecord(fields));
        return table;
    }

    private static int[] Resolve(IReadOnlyList<CsvColumn> columns, string role, int columnCount, string[]? header, string[]? names, int headerLine, string sourceName)
    {
        var resolved = new int[columns.Count];
        for (int i = 0; i < columns.Count; i++)
        {
            CsvColumn column = columns[i] ?? throw new ArgumentException($"The {role} columns hold a null.", "options");
            int index;
            if (column.Name is { } name)
            {
                if (header is null)
                {
                    throw new ArgumentException($"The {role} column {column} is chosen by name, but the options say {sourceName} has no header row (HasHeader = false).", "options");
                }
                if (names is null)
                {
                    throw new FormatException(
                        $"{sourceName}, line {headerLine}: the header row has {header.Length} fields for {columnCount} columns, so it cannot name the {role} column \"{name}\"; choose the column by position, CsvColumn.At(...).");
                }
                index = Array.IndexOf(names, name);
                if (index < 0)
                {
                    throw new FormatException(
                        $"{sourceName}, line {headerLine}: no column is named \"{name}\" (the {role} column); the header names {string.Join(", ", names.Select(n => $"\"{n}\""))}.");
                }
                if (Array.IndexOf(names, name, index + 1) >= 0)
                {
                    throw new FormatException($"{sourceName}, line {headerLine}: several columns are named \"{name}\" (the {role} column); choose it by position, CsvColumn.At(...).");
                }
            }
            else
            {
                Index position = column.Position!.Value;
                index = position.GetOffset(columnCount);
                if ((uint)index >= (uint)columnCount)
                {
                    throw new FormatException(
                        $"{sourceName}: the {role} column {column} is outside the {columnCount} columns of each row (At(0) to At({columnCount - 1}), or At(^1) to At(^{columnCount})).");
                }
            }
            if (Array.IndexOf(resolved, index, 0, i) >= 0)
            {
                throw new ArgumentException($"The {role} columns name column {index + 1} of {sourceName} twice.", "options");
            }
            resolved[i] = index;
        }
        return resolved;
    }

    private static float ParseNumber(string field, float scale, Table table, int line, int column, string[]? names)
    {
        if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
        {
            throw new FormatException($"{table.SourceName}, line {line}, field {Describe(column, names)}: '{field}' is not a number.");
        }
        value *= scale;
        if (!float.IsFinite(value) && !table.AllowNonFiniteValues)
        {
            throw new FormatException(
                $"{table.SourceName}, line {line}, field {Describe(column, names)}: '{field}' is {(float.IsNaN(value) ? "NaN" : "infinite or beyond float's range")}; " +
                "expected a finite number (set CsvOptions.AllowNonFiniteValues to keep such values).");
        }
        return value;
    }

    private static string Describe(int column, string[]? names)
        => names is null ? (column + 1).ToString(CultureInfo.InvariantCulture) : $"{column + 1} (\"{names[column]}\")";

    private static string Show(char delimiter) => delimiter == '\t' ? "\\t" : delimiter.ToString();

    private static (DataSet Data, int[] Labels) ToClassification(Table table, int classCount)
    {
        var labels = new int[table.Count];
        for (int s = 0; s < labels.Length; s++)
        {
            string text = table.Targets[s];
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double label)
                || label != Math.Floor(label) || label < 0 || label >= classCount)
            {
                throw new FormatException(
                    $"{table.SourceName}, line {table.TargetLines[s]}, field {table.TargetDescriptions[0]}: the label '{text}' is not a class number in [0, {classCount}).");
            }
            labels[s] = (int)label;
        }
        return (new DataSet(table.Features.ToArray(), DataSet.OneHot(labels, classCount), table.FeatureCount, classCount), labels);
    }

    private static DataSet ToRegression(Table table)
    {
        int targetCount = table.TargetDescriptions.Count;
        var targets = new float[table.Targets.Count];
        for (int i = 0; i < targets.Length; i++)
        {
            int sample = i / targetCount;
            string text = table.Targets[i];
            string where = $"{table.SourceName}, line {table.TargetLines[sample]}, field {table.TargetDescriptions[i % targetCount]}";
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
            {
                throw new FormatException($"{where}: the target '{text}' is not a number.");
            }
            if (!float.IsFinite(value) && !table.AllowNonFiniteValues)
            {
                throw new FormatException($"{where}: the target '{text}' is not a finite number (set CsvOptions.AllowNonFiniteValues to keep such values).");
            }
            targets[i] = value;
        }
        return new DataSet(table.Features.ToArray(), targets, table.FeatureCount, targetCount);
    }
}
