namespace NetGen;

/// <summary>One fold of a cross-validation: a fresh network trained on the other folds and measured on this one.</summary>
/// <param name="Fold">The fold's index, from 0.</param>
/// <param name="TrainingCount">The number of samples trained on.</param>
/// <param name="Validation">The figures on the held-out fold.</param>
/// <param name="Training">What training did.</param>
public sealed record FoldResult(int Fold, int TrainingCount, EvaluationResult Validation, TrainingResult Training);
