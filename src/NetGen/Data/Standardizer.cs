using System.Globalization;

namespace NetGen;

/// <summary>
/// Standardization, x' = (x - mean) / standard deviation per feature, with the mean and deviation fitted on the
/// training data only and then applied unchanged to validation and test data (so that nothing about them leaks
/// into training). A feature that never varies keeps a deviation of 1.
/// </summary>
/// <remarks>
/// A trained network expects standardized inputs, so the standardizer is part of the model: save it with the network
/// in the same file through <see cref="Preprocessing"/> and
/// <see cref="NetworkFile.Save{TNetwork}(TNetwork, string, Preprocessing)"/>, or rebuild it from its <see cref="Mean"/> and <see cref="StandardDeviation"/> with the constructor.
/// </remarks>
public sealed class Standardizer
{
    private readonly float[] _mean;
    private readonly float[] _scale;

    /// <summary>Creates a standardizer from the means and standard deviations of a previous fit.</summary>
    /// <param name="mean">The mean of each feature.</param>
    /// <param name="standardDeviation">The standard deviation of each feature: finite and greater than 0.</param>
    /// <exception cref="ArgumentException">
    /// The two are empty or of different lengths, a mean is not finite, or a deviation is not a finite number greater than 0.
    /// </exception>
    public Standardizer(ReadOnlySpan<float> mean, ReadOnlySpan<float> standardDeviation)
    {
        if (FindProblem(mean, standardDeviation) is { } problem)
        {
            throw new ArgumentException(problem.Message, problem.ParameterName);
        }
        _mean = mean.ToArray();
        _scale = standardDeviation.ToArray();
    }

    /// <summary>What the constructor would refuse, if anything: also the check of a standardizer read from a file.</summary>
    internal static (string Message, string ParameterName)? FindProblem(ReadOnlySpan<float> mean, ReadOnlySpan<float> standardDeviation)
    {
        if (mean.IsEmpty)
        {
            return ("A standardizer needs at least one feature; the means are empty.", nameof(mean));
        }
        if (standardDeviation.Length != mean.Length)
        {
            return ($"There are {mean.Length} means, so {mean.Length} standard deviations are expected; found {standardDeviation.Length}.", nameof(standardDeviation));
        }
        for (int i = 0; i < mean.Length; i++)
        {
            if (!float.IsFinite(mean[i]))
            {
                return ($"The mean of feature {i} is {Text(mean[i])}; a mean must be a finite number.", nameof(mean));
            }
            if (!(float.IsFinite(standardDeviation[i]) && standardDeviation[i] > 0))
            {
                return ($"The standard deviation of feature {i} is {Text(standardDeviation[i])}; it must be a finite number greater than 0.", nameof(standardDeviation));
            }
        }
        return null;
    }

    /// <summary>The number of features it standardizes.</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>The mean of each feature over the data it was fitted on.</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>The population standard deviation of each feature (1 where it is 0).</summary>
    public IReadOnlyList<float> StandardDeviation => _scale;

    /// <summary>Fits the means and deviations on <paramref name="training"/>.</summary>
    /// <exception cref="ArgumentException">
    /// The data holds no samples, or a feature value that is NaN or infinite (the message names the sample and the feature).
    /// </exception>
    public static Standardizer Fit(DataSet training)
    {
        ArgumentNullException.ThrowIfNull(training);
        if (training.Count == 0)
        {
            throw new ArgumentException("A standardizer cannot be fitted on a data set without samples.", nameof(training));
        }
        var sum = new double[training.FeatureSize];
        var sumOfSquares = new double[training.FeatureSize];
        for (int s = 0; s < training.Count; s++)
        {
            var x = training.GetFeatures(s);
            for (int i = 0; i < x.Length; i++)
            {
                if (!float.IsFinite(x[i]))
                {
                    throw new ArgumentException(
                        $"Sample {s}, feature {i} is {Text(x[i])}; a standardizer is fitted on finite values only (clean or drop such samples first).",
                        nameof(training));
                }
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
            float deviation = (float)Math.Sqrt(variance);
            scale[i] = variance > 1e-12 && float.IsFinite(deviation) ? deviation : 1f;
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
    /// <param name="features">One row of <see cref="FeatureCount"/> features.</param>
    /// <param name="destination">Where the <see cref="FeatureCount"/> standardized features go.</param>
    /// <exception cref="ArgumentException">Either span's length is not <see cref="FeatureCount"/>.</exception>
    public void Transform(ReadOnlySpan<float> features, Span<float> destination)
    {
        CheckLength(features.Length, nameof(features));
        CheckLength(destination.Length, nameof(destination));
        for (int i = 0; i < features.Length; i++)
        {
            destination[i] = (features[i] - _mean[i]) / _scale[i];
        }
    }

    private void CheckLength(int length, string parameterName)
    {
        if (length != _mean.Length)
        {
            throw new ArgumentException(
                $"'{parameterName}' has length {length}; the standardizer was fitted on {_mean.Length} features and expects length {_mean.Length}.", parameterName);
        }
    }

    private static string Text(float value) => value.ToString(CultureInfo.InvariantCulture);
}
