namespace NetGen;

/// <summary>A column of a CSV file, chosen by its position or by its name in the header row.</summary>
/// <example>
/// <code>
/// CsvColumn.At(^1)           // the last column
/// CsvColumn.At(0)            // the first column
/// CsvColumn.Named("quality") // the column whose header is "quality"
/// </code>
/// </example>
public sealed class CsvColumn
{
    private CsvColumn(Index? position, string? name)
    {
        Position = position;
        Name = name;
    }

    /// <summary>The last column: where <see cref="CsvData"/> looks for the label or target unless told otherwise.</summary>
    public static CsvColumn Last { get; } = new(^1, null);

    /// <summary>The column at <paramref name="position"/>, counted from 0 (<c>At(0)</c> is the first column) or from the end (<c>At(^1)</c> is the last).</summary>
    /// <param name="position">The column's position.</param>
    public static CsvColumn At(Index position) => new(position, null);

    /// <summary>The column whose name in the header row is exactly <paramref name="name"/>.</summary>
    /// <param name="name">The column's name, as the header row spells it.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static CsvColumn Named(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new CsvColumn(null, name);
    }

    /// <summary>The column's position, or null when it is chosen by name.</summary>
    public Index? Position { get; }

    /// <summary>The column's name, or null when it is chosen by position.</summary>
    public string? Name { get; }

    /// <summary>How the column is written in C#: <c>At(^1)</c>, <c>At(3)</c> or <c>Named("quality")</c>.</summary>
    public override string ToString() => Name is not null ? $"Named(\"{Name}\")" : $"At({Position})";
}
