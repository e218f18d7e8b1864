using System.IO.Compression;

namespace NetGen.Tests;

/// <summary>
/// CsvData: scikit-learn's own wine file, header rows, columns by name or position, regression targets, other
/// delimiters, RFC 4180 quoting, and errors that name the file, the line and the field; NaN and infinity refused
/// unless asked for.
/// </summary>
public sealed class CsvDataTests : IDisposable
{
    private static readonly string WinePath = Path.Combine(AppContext.BaseDirectory, "Fixtures", "wine_data.csv");
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("netgen-csv-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static DataSet Regression(string text, CsvOptions? options = null) => CsvData.LoadRegression(new StringReader(text), options);

    private static FormatException Refused(string text, CsvOptions? options = null)
        => Assert.Throws<FormatException>(() => CsvData.LoadRegression(new StringReader(text), options, "test.csv"));

    [Fact]
    public void Scikit_learns_wine_file_loads_with_its_first_line_as_a_header()
    {
        var (wine, labels) = CsvData.LoadClassification(WinePath, classCount: 3, new CsvOptions { HasHeader = true });
        Assert.Equal(178, wine.Count);   // the header's own counts: 178 samples of 13 features
        Assert.Equal(13, wine.FeatureSize);
        Assert.Equal(3, wine.TargetSize);
        Assert.Equal([59, 71, 48], labels.CountBy(l => l).OrderBy(p => p.Key).Select(p => p.Value));
        Assert.Equal([14.23f, 1.71f, 2.43f, 15.6f, 127f, 2.8f, 3.06f, 0.28f, 2.29f, 5.64f, 1.04f, 3.92f, 1065f], wine.GetFeatures(0).ToArray());
        Assert.Equal([0f, 0f, 1f], wine.GetTargets(177).ToArray());
    }

    [Fact]
    public void Without_the_header_option_the_wine_file_fails_at_line_1_with_the_file_and_field()
    {
        var error = Assert.Throws<FormatException>(() => CsvData.LoadClassification(WinePath, classCount: 3));
        Assert.Equal("wine_data.csv, line 1, field 3: 'class_0' is not a number.", error.Message);
    }

    [Fact]
    public void A_header_names_the_label_column_anywhere_in_the_row()
    {
        const string text = "label;height;weight\n1;1.5;60\n0;1.8;80\n";
        var (data, labels) = CsvData.LoadClassification(new StringReader(text), classCount: 2,
            new CsvOptions { Delimiter = ';', HasHeader = true, TargetColumns = [CsvColumn.Named("label")] });
        Assert.Equal([1, 0], labels);
        Assert.Equal([1.5f, 60f, 1.8f, 80f], data.GetFeatureRows(0, 2).ToArray());
        Assert.Equal([0f, 1f, 1f, 0f], data.GetTargetRows(0, 2).ToArray());
    }

    [Fact]
    public void A_column_is_chosen_by_position_from_the_start_or_the_end()
    {
        var first = CsvData.LoadClassification(new StringReader("2,10,20\n0,30,40\n"), classCount: 3, new CsvOptions { TargetColumns = [CsvColumn.At(0)] });
        Assert.Equal([2, 0], first.Labels);
        Assert.Equal([10f, 20f, 30f, 40f], first.Data.GetFeatureRows(0, 2).ToArray());
        var secondToLast = Regression("1,2,3\n4,5,6\n", new CsvOptions { TargetColumns = [CsvColumn.At(^2)] });
        Assert.Equal([2f, 5f], secondToLast.GetTargetRows(0, 2).ToArray());
        Assert.Equal([1f, 3f, 4f, 6f], secondToLast.GetFeatureRows(0, 2).ToArray());
    }

    [Fact]
    public void Regression_reads_several_targets_in_the_order_given_and_skips_ignored_columns()
    {
        const string text = "id\tx\ty\tz\tw\nA7\t1\t2\t3.5\t-4\nB8\t5\t6\t7.25\t8e1\n";
        var data = Regression(text, new CsvOptions
        {
            Delimiter = '\t',
            HasHeader = true,
            TargetColumns = [CsvColumn.Named("w"), CsvColumn.Named("z")],
            IgnoredColumns = [CsvColumn.Named("id")],
        });
        Assert.Equal(2, data.Count);
        Assert.Equal(2, data.FeatureSize);
        Assert.Equal(2, data.TargetSize);
        Assert.Equal([1f, 2f, 5f, 6f], data.GetFeatureRows(0, 2).ToArray());
        Assert.Equal([-4f, 3.5f, 80f, 7.25f], data.GetTargetRows(0, 2).ToArray());
        Assert.False(data.HasBinaryTargets);
    }

    [Fact]
    public void Quoted_fields_hold_delimiters_quotes_and_line_breaks_and_keep_line_numbers_right()
    {
        const string text = "\"name, with comma\",\"say \"\"hi\"\"\nthere\",\"value\"\r\n\"a\",\"1\",\"2\"\r\n\"b\",\"3\",\"x\"\r\n";
        var error = Refused(text, new CsvOptions { HasHeader = true, IgnoredColumns = [CsvColumn.Named("name, with comma")] });
        // The header spans lines 1 and 2, so the third record starts on line 4.
        Assert.Equal("test.csv, line 4, field 3 (\"value\"): the target 'x' is not a number.", error.Message);

        var data = Regression("\"a\",\"1\",\"2\"\r\n\"b\",\"3\",\"4\"\r\n", new CsvOptions { IgnoredColumns = [CsvColumn.At(0)] });
        Assert.Equal([1f, 3f], data.GetFeatureRows(0, 2).ToArray());
        Assert.Equal([2f, 4f], data.GetTargetRows(0, 2).ToArray());
    }

    [Fact]
    public void Blank_lines_and_a_missing_final_line_break_are_fine()
    {
        var data = Regression("\n1,2\n\n3,4");
        Assert.Equal([1f, 3f], data.GetFeatureRows(0, 2).ToArray());
        Assert.Equal([2f, 4f], data.GetTargetRows(0, 2).ToArray());
    }

    [Fact]
    public void Malformed_quoting_is_refused_with_the_line_and_field()
    {
        Assert.Equal("test.csv, line 2, field 2: the quoted field opened here is not closed before the end of the text.",
            Refused("1,2\n3,\"4\n5\n").Message);
        Assert.Equal("test.csv, line 1, field 1: 'x' follows the closing quote of \"1\"; expected the delimiter ',' or the end of the line.",
            Refused("\"1\"x,2\n").Message);
        Assert.StartsWith("test.csv, line 2, field 1: a quote inside an unquoted field (after '1')", Refused("1,2\n1\"5,2\n").Message);
    }

    [Theory]
    [InlineData("NaN", "is NaN")]
    [InlineData("Infinity", "is infinite or beyond float's range")]
    [InlineData("-Infinity", "is infinite or beyond float's range")]
    [InlineData("1e39", "is infinite or beyond float's range")]
    public void A_non_finite_feature_is_refused_with_the_file_line_and_field(string value, string why)
    {
        string path = Path.Combine(_directory.FullName, "bad.csv");
        File.WriteAllText(path, $"1,2,0\n3,{value},1\n");
        var error = Assert.Throws<FormatException>(() => CsvData.LoadClassification(path, classCount: 2));
        Assert.StartsWith($"bad.csv, line 2, field 2: '{value}' {why}; expected a finite number", error.Message);
        Assert.Contains("CsvOptions.AllowNonFiniteValues", error.Message);
    }

    [Fact]
    public void A_non_finite_target_is_refused_and_both_are_kept_when_the_caller_opts_in()
    {
        Assert.Equal("test.csv, line 1, field 2: the target 'NaN' is not a finite number (set CsvOptions.AllowNonFiniteValues to keep such values).",
            Refused("1,NaN\n").Message);
        var kept = Regression("NaN,-Infinity\n", new CsvOptions { AllowNonFiniteValues = true });
        Assert.True(float.IsNaN(kept.GetFeatures(0)[0]));
        Assert.Equal(float.NegativeInfinity, kept.GetTargets(0)[0]);
    }

    [Fact]
    public void A_gzip_file_is_read_through_gzip_and_named_in_errors()
    {
        string path = Path.Combine(_directory.FullName, "values.csv.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write("1,2\n3,Infinity\n"u8);
        }
        var error = Assert.Throws<FormatException>(() => CsvData.LoadRegression(path));
        Assert.StartsWith("values.csv.gz, line 2, field 2: the target 'Infinity' is not a finite number", error.Message);
    }

    [Fact]
    public void Columns_by_name_need_a_header_that_names_every_column()
    {
        var options = new CsvOptions { HasHeader = true, TargetColumns = [CsvColumn.Named("class_0")] };
        var error = Assert.Throws<FormatException>(() => CsvData.LoadRegression(WinePath, options));
        Assert.Equal("wine_data.csv, line 1: the header row has 5 fields for 14 columns, so it cannot name the target column \"class_0\"; " +
            "choose the column by position, CsvColumn.At(...).", error.Message);

        var unknown = Refused("a,b,c\n1,2,3\n", new CsvOptions { HasHeader = true, TargetColumns = [CsvColumn.Named("d")] });
        Assert.Equal("test.csv, line 1: no column is named \"d\" (the target column); the header names \"a\", \"b\", \"c\".", unknown.Message);

        var noHeader = Assert.Throws<ArgumentException>(() => Regression("1,2\n", new CsvOptions { TargetColumns = [CsvColumn.Named("b")] }));
        Assert.Contains("has no header row", noHeader.Message);
    }

    [Fact]
    public void Column_positions_outside_the_row_and_contradictory_options_are_refused()
    {
        var outside = Refused("1,2,3\n", new CsvOptions { TargetColumns = [CsvColumn.At(3)] });
        Assert.Equal("test.csv: the target column At(3) is outside the 3 columns of each row (At(0) to At(2), or At(^1) to At(^3)).", outside.Message);
        var two = Assert.Throws<ArgumentException>(() => CsvData.LoadClassification(new StringReader("1,0,1\n"), 2,
            new CsvOptions { TargetColumns = [CsvColumn.At(1), CsvColumn.At(2)] }));
        Assert.Contains("one label column; the options name 2", two.Message);
        var both = Assert.Throws<ArgumentException>(() => Regression("1,2,3\n", new CsvOptions { IgnoredColumns = [CsvColumn.Last] }));
        Assert.Contains("both a target and ignored", both.Message);
        var quote = Assert.Throws<ArgumentException>(() => Regression("1,2\n", new CsvOptions { Delimiter = '"' }));
        Assert.Contains("cannot be a quote", quote.Message);
        var allTargets = Refused("1,2\n", new CsvOptions { TargetColumns = [CsvColumn.At(0), CsvColumn.At(1)] });
        Assert.Contains("line 1: its 2 fields are all targets or ignored", allTargets.Message);
    }

    [Fact]
    public void A_row_of_another_length_names_the_delimiter_in_use()
    {
        var error = Refused("1;2;3\n4,5,6\n", new CsvOptions { Delimiter = ';' });
        Assert.Equal("test.csv, line 2: expected 3 fields like line 1, found 1 (fields are separated by ';').", error.Message);
    }

    [Fact]
    public void An_empty_file_or_a_header_alone_holds_no_samples()
    {
        Assert.Equal("test.csv holds no samples.", Refused("\n\n").Message);
        Assert.Equal("test.csv holds no samples.", Refused("a,b\n", new CsvOptions { HasHeader = true }).Message);
        Assert.Equal("test.csv is empty; expected a header row, then samples.", Refused("", new CsvOptions { HasHeader = true }).Message);
    }
}
