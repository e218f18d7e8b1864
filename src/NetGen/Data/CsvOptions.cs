namespace NetGen;

/// <summary>
/// How <see cref="CsvData"/> reads a file: the delimiter, whether the first row is a header, which columns are targets
/// (the rest are features), and whether NaN and infinity are accepted. The defaults read a headerless, comma-separated
/// file whose last column is the target.
/// </summary>
/// <example>
/// <code>
/// // scikit-learn's wine_data.csv: a first line that is not data, 13 features, the class in the last column.
/// var (wine, labels) = CsvData.LoadClassification("wine_data.csv", classCount: 3, new CsvOptions { HasHeader = true });
///
/// // A semicolon-separated file with named columns, predicting one of them.
/// var quality = CsvData.LoadRegression("winequality-red.csv", new CsvOptions
/// {
///     Delimiter = ';',
///     HasHeader = true,
///     TargetColumns = [CsvColumn.Named("quality")],
/// });
/// </code>
/// </example>
public sealed class CsvOptions
{
    /// <summary>The character between fields: ',' by default; ';' and '\t' are common too. It may not be a quote or a line break.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>
    /// Whether the first row is a header rather than data. Its fields name the columns for <see cref="CsvColumn.Named"/>
    /// when it has one per column; a first row of another length (scikit-learn writes its sizes there) is skipped.
    /// </summary>
    public bool HasHeader { get; init; }

    /// <summary>
    /// The columns that hold the targets, in the order they take in each target row: by default the last column. A
    /// classification file has exactly one (its label); a regression file one or more.
    /// </summary>
    public IReadOnlyList<CsvColumn> TargetColumns { get; init; } = [CsvColumn.Last];

    /// <summary>Columns that are neither features nor targets (an identifier, a date...), skipped on every row.</summary>
    public IReadOnlyList<CsvColumn> IgnoredColumns { get; init; } = [];

    /// <summary>A factor every feature is multiplied by as it is read (1 by default; 1/255 for pixels, for example).</summary>
    public float FeatureScale { get; init; } = 1f;

    /// <summary>
    /// Whether NaN, infinity and numbers beyond <see cref="float"/>'s range are kept as they are. By default such a
    /// value is refused with its line and field: a standardizer or a network would turn it into NaN far from its cause.
    /// </summary>
    public bool AllowNonFiniteValues { get; init; }
}
