using System.Globalization;
using System.Text;

namespace NetGen;

/// <summary>The trials of a <see cref="HyperparameterSearch"/>, best first by the validation metric.</summary>
public sealed class SearchResult
{
    internal SearchResult(EvaluationMetric metric, IReadOnlyList<SearchTrial> trials, IReadOnlyList<string> names)
    {
        Metric = metric;
        Trials = trials;
        Names = names;
    }

    /// <summary>The metric the trials are ranked by.</summary>
    public EvaluationMetric Metric { get; }

    /// <summary>
    /// Every trial, best first (highest or lowest <see cref="SearchTrial.Score"/> as the metric asks), equal scores in
    /// the order they were drawn, failed trials last.
    /// </summary>
    public IReadOnlyList<SearchTrial> Trials { get; }

    /// <summary>The names of the hyperparameters searched.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The best trial.</summary>
    /// <exception cref="InvalidOperationException">Every trial failed.</exception>
    public SearchTrial Best => Trials.Count > 0 && Trials[0].Error is null
        ? Trials[0]
        : throw new InvalidOperationException("Every trial of the search failed: " + string.Join("; ", Trials.Select(t => t.Error).Distinct()));

    /// <summary>The trials as a text table, best first: rank, score, spread, network, then one column per hyperparameter.</summary>
    /// <param name="rows">How many trials to show at most.</param>
    public string ToTable(int rows = int.MaxValue)
    {
        var header = new List<string> { "#", Metric.ToString(), "±", "Network" };
        header.AddRange(Names);
        var table = new List<string[]> { header.ToArray() };
        for (int r = 0; r < Math.Min(rows, Trials.Count); r++)
        {
            SearchTrial trial = Trials[r];
            var row = new List<string>
            {
                (r + 1).ToString(CultureInfo.InvariantCulture),
                trial.Error is null ? trial.Score.ToString("G4", CultureInfo.InvariantCulture) : "failed",
                trial.Spread.ToString("G2", CultureInfo.InvariantCulture),
                trial.Hyperparameters.Network,
            };
            row.AddRange(trial.Hyperparameters.Values.Select(v => Hyperparameters.Format(v.Value)));
            table.Add([.. row]);
        }
        int[] widths = new int[header.Count];
        foreach (string[] row in table)
        {
            for (int c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }
        var text = new StringBuilder();
        foreach (string[] row in table)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c < 3 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd());
        }
        return text.ToString();
    }
}
