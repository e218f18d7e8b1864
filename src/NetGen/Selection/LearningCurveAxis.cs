namespace NetGen;

/// <summary>What a <see cref="LearningCurve"/> is drawn against.</summary>
public enum LearningCurveAxis
{
    /// <summary>The epoch of one training.</summary>
    Epoch = 0,

    /// <summary>The number of samples a fresh network was trained on.</summary>
    TrainingSamples = 1,
}
