namespace NetGen;

/// <summary>A figure of an <see cref="EvaluationResult"/> that models are compared, summarized or plotted by.</summary>
public enum EvaluationMetric
{
    /// <summary>The mean loss; lower is better.</summary>
    Loss = 0,

    /// <summary>The fraction predicted right; higher is better. Needs labels.</summary>
    Accuracy = 1,

    /// <summary>The macro-averaged F1; higher is better. Needs labels.</summary>
    MacroF1 = 2,

    /// <summary>The area under the ROC curve; higher is better. Needs labels of two classes.</summary>
    RocAuc = 3,

    /// <summary>The mean squared error; lower is better. Needs targets that are not labels.</summary>
    MeanSquaredError = 4,

    /// <summary>The mean absolute error; lower is better. Needs targets that are not labels.</summary>
    MeanAbsoluteError = 5,

    /// <summary>The coefficient of determination R^2; higher is better. Needs targets that are not labels.</summary>
    RSquared = 6,
}
