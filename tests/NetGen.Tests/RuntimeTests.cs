namespace NetGen.Tests;

public class DataSetTests
{
    [Fact]
    public void Rows_are_views_of_the_flat_arrays()
    {
        var data = new DataSet([1, 2, 3, 4, 5, 6], [7, 8], featureSize: 3, targetSize: 1);
        Assert.Equal(2, data.Count);
        Assert.Equal([4f, 5f, 6f], data.GetFeatures(1).ToArray());
        Assert.Equal([8f], data.GetTargets(1).ToArray());
    }

    [Fact]
    public void Lengths_that_do_not_make_whole_rows_are_refused_with_the_numbers()
    {
        var features = Assert.Throws<ArgumentException>(() => new DataSet(new float[7], new float[2], 3, 1));
        Assert.Contains("7 values", features.Message);
        Assert.Contains("rows of 3", features.Message);
        var targets = Assert.Throws<ArgumentException>(() => new DataSet(new float[6], new float[3], 3, 1));
        Assert.Contains("2 samples of 1 targets need 2", targets.Message);
        var ragged = Assert.Throws<ArgumentException>(() => DataSet.FromRows([[1f, 2f], [3f]], [[0f], [1f]]));
        Assert.Contains("Row 1 has 1 values; expected 2", ragged.Message);
    }

    [Fact]
    public void Accuracy_compares_sides_of_one_half_or_the_largest_output()
    {
        Assert.True(DataSet.IsCorrect([0.7f], [1f]));
        Assert.False(DataSet.IsCorrect([0.3f], [1f]));
        Assert.True(DataSet.IsCorrect([0.1f, 0.7f, 0.2f], [0f, 1f, 0f]));
        Assert.False(DataSet.IsCorrect([0.5f, 0.4f, 0.1f], [0f, 1f, 0f]));
    }
}

public class DeterministicRandomTests
{
    [Fact]
    public void The_same_seed_gives_the_same_sequence_and_another_seed_another()
    {
        var a = new DeterministicRandom(12);
        var b = new DeterministicRandom(12);
        var c = new DeterministicRandom(13);
        var sa = Enumerable.Range(0, 100).Select(_ => a.NextUInt32()).ToArray();
        var sb = Enumerable.Range(0, 100).Select(_ => b.NextUInt32()).ToArray();
        var sc = Enumerable.Range(0, 100).Select(_ => c.NextUInt32()).ToArray();
        Assert.Equal(sa, sb);
        Assert.NotEqual(sa, sc);
    }

    [Fact]
    public void Uniform_floats_have_the_moments_of_U0_1()
    {
        var random = new DeterministicRandom(1);
        const int N = 200_000;
        double sum = 0, sumOfSquares = 0;
        for (int i = 0; i < N; i++)
        {
            float x = random.NextSingle();
            Assert.InRange(x, 0f, 0.99999994f);
            sum += x;
            sumOfSquares += x * x;
        }
        // Mean 1/2 and variance 1/12; the standard error of the mean is sqrt(1/12 / N) ~ 0.00065.
        Assert.InRange(sum / N, 0.5 - 0.003, 0.5 + 0.003);
        Assert.InRange(sumOfSquares / N - Math.Pow(sum / N, 2), 1.0 / 12 - 0.002, 1.0 / 12 + 0.002);
    }

    [Fact]
    public void Integers_are_in_range_and_every_value_appears_evenly()
    {
        var random = new DeterministicRandom(2);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++)
        {
            counts[random.NextInt32(7)]++;
        }
        // Each count is binomial(70000, 1/7): mean 10000, standard deviation ~93.
        Assert.All(counts, c => Assert.InRange(c, 10_000 - 500, 10_000 + 500));
    }

    [Fact]
    public void Gaussians_have_mean_0_and_variance_1()
    {
        var random = new DeterministicRandom(3);
        const int N = 100_000;
        double sum = 0, sumOfSquares = 0;
        for (int i = 0; i < N; i++)
        {
            double x = random.NextGaussian();
            sum += x;
            sumOfSquares += x * x;
        }
        Assert.InRange(sum / N, -0.015, 0.015);
        Assert.InRange(sumOfSquares / N, 0.98, 1.02);
    }

    [Fact]
    public void Shuffle_gives_a_permutation()
    {
        var random = new DeterministicRandom(4);
        int[] items = Enumerable.Range(0, 50).ToArray();
        random.Shuffle(items.AsSpan());
        Assert.NotEqual(Enumerable.Range(0, 50), items);
        Assert.Equal(Enumerable.Range(0, 50), items.Order());
    }
}
