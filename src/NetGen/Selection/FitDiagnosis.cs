namespace NetGen;

/// <summary>What the training and validation errors say about a model, in the course's terms.</summary>
public enum FitDiagnosis
{
    /// <summary>The training error is acceptable and the validation error close to it.</summary>
    Fine = 0,

    /// <summary>Under-fitting: the training error itself is too high.</summary>
    HighBias = 1,

    /// <summary>Over-fitting: the validation error is much higher than the training error.</summary>
    HighVariance = 2,

    /// <summary>Both: the training error is too high, and the validation error much higher still.</summary>
    HighBiasAndHighVariance = 3,
}
