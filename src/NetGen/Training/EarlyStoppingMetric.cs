namespace NetGen;

/// <summary>What early stopping watches on the validation data.</summary>
public enum EarlyStoppingMetric
{
    /// <summary>The mean validation loss; lower is better.</summary>
    ValidationLoss = 0,

    /// <summary>The validation accuracy; higher is better.</summary>
    ValidationAccuracy = 1,
}
