namespace NetGen.Tests;

/// <summary>Standardizer: every entry point checks its lengths and refuses non-finite data, naming what it expected.</summary>
public sealed class StandardizerTests
{
    private static Standardizer ThreeFeatures() => new([1f, 2f, 3f], [1f, 2f, 4f]);

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(0)]
    public void Transforming_a_row_of_the_wrong_length_names_the_expected_length(int length)
    {
        var standardizer = ThreeFeatures();
        var destination = new float[3];
        var error = Assert.Throws<ArgumentException>(() => standardizer.Transform(new float[length], destination));
        Assert.Equal("features", error.ParamName);
        Assert.Contains($"has length {length}", error.Message);
        Assert.Contains("expects length 3", error.Message);
        Assert.Equal(new float[3], destination);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Transforming_into_a_destination_of_the_wrong_length_names_the_expected_length(int length)
    {
        var standardizer = ThreeFeatures();
        var destination = new float[length];
        var error = Assert.Throws<ArgumentException>(() => standardizer.Transform([1f, 2f, 3f], destination));
        Assert.Equal("destination", error.ParamName);
        Assert.Contains("expects length 3", error.Message);
        Assert.Equal(new float[length], destination);
    }

    [Fact]
    public void A_row_of_the_right_length_is_standardized_in_place()
    {
        var standardizer = ThreeFeatures();
        float[] row = [3f, 2f, 11f];
        standardizer.Transform(row, row);
        Assert.Equal([2f, 0f, 2f], row);
    }

    [Fact]
    public void A_data_set_of_the_wrong_width_names_both_widths()
    {
        var error = Assert.Throws<ArgumentException>(() => ThreeFeatures().Transform(new DataSet(new float[4], new float[2], 2, 1)));
        Assert.Equal("data", error.ParamName);
        Assert.Contains("fitted on 3 features; the data has 2", error.Message);
    }

    [Fact]
    public void The_constructor_keeps_its_values_and_gives_the_same_transform_as_the_fit()
    {
        var training = new DataSet([1, 10, 3, 10, 5, 10], [0, 0, 0], 2, 1);
        var fitted = Standardizer.Fit(training);
        var rebuilt = new Standardizer(fitted.Mean.ToArray(), fitted.StandardDeviation.ToArray());
        Assert.Equal(2, rebuilt.FeatureCount);
        Assert.Equal(fitted.Mean, rebuilt.Mean);
        Assert.Equal(fitted.StandardDeviation, rebuilt.StandardDeviation);
        var a = new float[2];
        var b = new float[2];
        fitted.Transform([7f, 4f], a);
        rebuilt.Transform([7f, 4f], b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void The_constructor_copies_its_arguments()
    {
        float[] mean = [1f];
        float[] deviation = [2f];
        var standardizer = new Standardizer(mean, deviation);
        mean[0] = 100f;
        deviation[0] = 100f;
        Assert.Equal([1f], standardizer.Mean);
        Assert.Equal([2f], standardizer.StandardDeviation);
    }

    [Fact]
    public void The_constructor_refuses_what_no_fit_gives()
    {
        Assert.Contains("at least one feature", Assert.Throws<ArgumentException>(() => new Standardizer([], [])).Message);
        var lengths = Assert.Throws<ArgumentException>(() => new Standardizer([1f, 2f], [1f]));
        Assert.Contains("2 standard deviations are expected; found 1", lengths.Message);
        var nanMean = Assert.Throws<ArgumentException>(() => new Standardizer([1f, float.NaN], [1f, 1f]));
        Assert.Contains("mean of feature 1 is NaN", nanMean.Message);
        foreach (float bad in new[] { 0f, -1f, float.PositiveInfinity, float.NaN })
        {
            var deviation = Assert.Throws<ArgumentException>(() => new Standardizer([1f], [bad]));
            Assert.Equal("standardDeviation", deviation.ParamName);
            Assert.Contains("standard deviation of feature 0", deviation.Message);
        }
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void Fitting_on_a_non_finite_value_names_the_sample_and_the_feature(float bad, string shown)
    {
        var data = new DataSet([1, 2, 3, 4, 5, bad], [0, 0, 0], 2, 1);
        var error = Assert.Throws<ArgumentException>(() => Standardizer.Fit(data));
        Assert.Equal("training", error.ParamName);
        Assert.Contains($"Sample 2, feature 1 is {shown}", error.Message);
    }

    [Fact]
    public void Fitting_on_no_samples_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Standardizer.Fit(new DataSet([], [], 2, 1)));
        Assert.Contains("without samples", error.Message);
    }
}
