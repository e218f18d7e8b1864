namespace NetGen;

/// <summary>One trial of a <see cref="HyperparameterSearch"/>: a network class and hyperparameters, trained and measured.</summary>
/// <param name="Index">The trial's place in the order the search drew or enumerated it, from 0.</param>
/// <param name="Hyperparameters">The network and the values trained with.</param>
/// <param name="Score">
/// The search's metric on the validation data, or its mean over the folds of a cross-validated search; NaN when the
/// trial failed.
/// </param>
/// <param name="Spread">The standard deviation of the metric over the folds; 0 for a search on one validation set.</param>
/// <param name="Elapsed">How long the trial took.</param>
public sealed record SearchTrial(int Index, Hyperparameters Hyperparameters, double Score, double Spread, TimeSpan Elapsed)
{
    /// <summary>Every figure on the validation data, in a search on one validation set.</summary>
    public EvaluationResult? Validation { get; init; }

    /// <summary>Every fold's figures, in a cross-validated search.</summary>
    public CrossValidationResult? CrossValidation { get; init; }

    /// <summary>Why the trial failed (training diverged, say), or null when it did not.</summary>
    public string? Error { get; init; }

    /// <summary>The trial as "score ± spread: network, name=value, ...".</summary>
    public override string ToString()
        => Error is null ? $"{Score:G4}{(Spread > 0 ? $" ± {Spread:G2}" : "")}: {Hyperparameters}" : $"failed: {Hyperparameters}: {Error}";
}
