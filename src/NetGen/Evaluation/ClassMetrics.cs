namespace NetGen;

/// <summary>
/// Precision, recall and F1 of one class, or their average over the classes. A ratio whose denominator is 0 (a class
/// never predicted, or never present) counts as 0, as scikit-learn's <c>zero_division</c> default does.
/// </summary>
/// <param name="Precision">Of the samples predicted as the class, the fraction that are: TP / (TP + FP).</param>
/// <param name="Recall">Of the samples of the class, the fraction predicted as it: TP / (TP + FN).</param>
/// <param name="F1">The harmonic mean of precision and recall: 2 TP / (2 TP + FP + FN).</param>
/// <param name="Support">The number of samples of the class (for an average, of every class).</param>
public readonly record struct ClassMetrics(double Precision, double Recall, double F1, int Support);
