namespace NetGen;

/// <summary>The mean and spread of one metric over several runs (the folds of a cross-validation).</summary>
/// <param name="Mean">The mean.</param>
/// <param name="StandardDeviation">The population standard deviation (NumPy's <c>std()</c>, what <c>cross_val_score(...).std()</c> reports).</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
public readonly record struct MetricSummary(double Mean, double StandardDeviation, double Min, double Max)
{
    /// <summary>Summarizes <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">There are no values.</exception>
    public static MetricSummary Of(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("A summary needs at least one value.", nameof(values));
        }
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double value in values)
        {
            sum += value;
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }
        double mean = sum / values.Length, squares = 0;
        foreach (double value in values)
        {
            squares += (value - mean) * (value - mean);
        }
        return new MetricSummary(mean, Math.Sqrt(squares / values.Length), min, max);
    }

    /// <summary>The summary as "mean ± standard deviation".</summary>
    public override string ToString() => $"{Mean:G4} ± {StandardDeviation:G2}";
}
