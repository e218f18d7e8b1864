namespace NetGen;

/// <summary>
/// Standardization, x' = (x - mean) / standard deviation per feature, with the mean and deviation fitted on the
/// training data only and then applied unchanged to validation and test data (so that nothing about them leaks
/// into training). A feature that never varies keeps a deviation of 1.
/// </summary>
public sealed class Standardizer
{
    private readonly float[] _mean;
    private readonly float[] _scale;

    private Standardizer(float[] mean, float[] scale)
    {
        _mean = mean;
        _scale = scale;
    }

    /// <summary>The mean of each feature over the data it was fitted on.</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>The population standard deviation of each feature (1 where it is 0).</summary>
    public IReadOnlyList<float> StandardDeviation => _scale;

    /// <summary>Fits the means and deviations on <paramref name="training"/>.</summary>
    public static Standardizer Fit(DataSet training)
    {
        ArgumentNullException.ThrowIfNull(training);
        var sum = new double[training.FeatureSize];
        var sumOfSquares = new double[training.FeatureSize];
        for (int s = 0; s < training.Count; s++)
        {
            var x = training.GetFeatures(s);
            for (int i = 0; i < x.Length; i++)
            {
                sum[i] += x[i];
                sumOfSquares[i] += (double)x[i] * x[i];
            }
        }
        var mean = new float[training.FeatureSize];
        var scale = new float[training.FeatureSize];
        for (int i = 0; i < mean.Length; i++)
        {
            double m = sum[i] / training.Count;
            double variance = Math.Max(sumOfSquares[i] / training.Count - m * m, 0);
            mean[i] = (float)m;
            scale[i] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return new Standardizer(mean, scale);
    }

    /// <summary>A new data set with standardized features and the same targets.</summary>
    /// <exception cref="ArgumentException">The data has another number of features than the data fitted on.</exception>
    public DataSet Transform(DataSet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureSize != _mean.Length)
        {
            throw new ArgumentException($"The standardizer was fitted on {_mean.Length} features; the data has {data.FeatureSize}.", nameof(data));
        }
        var features = new float[data.Count * data.FeatureSize];
        var targets = new float[data.Count * data.TargetSize];
        for (int s = 0; s < data.Count; s++)
        {
            Transform(data.GetFeatures(s), features.AsSpan(s * data.FeatureSize, data.FeatureSize));
            data.GetTargets(s).CopyTo(targets.AsSpan(s * data.TargetSize));
        }
        return new DataSet(features, targets, data.FeatureSize, data.TargetSize);
    }

    /// <summary>Standardizes one row of features into <paramref name="destination"/> (which may be the same memory).</summary>
    public void Transform(ReadOnlySpan<float> features, Span<float> destination)
    {
        for (int i = 0; i < features.Length; i++)
        {
            destination[i] = (features[i] - _mean[i]) / _scale[i];
        }
    }
}
