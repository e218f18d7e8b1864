namespace NetGen;

/// <summary>
/// The state of training after an epoch. (The figures of a network over a data set outside training are an
/// <see cref="EvaluationResult"/>.)
/// </summary>
/// <param name="Epoch">
/// The epoch just finished, counting from 1. 0 only in the <see cref="TrainingResult.Final"/> report of a training that
/// ran no epoch, which describes the network as it was given.
/// </param>
/// <param name="Loss">The mean loss over the training data, without the regularization penalty (see <see cref="Penalty"/>).</param>
/// <param name="Accuracy">The fraction of training samples predicted right, or null when the targets are not labels (0 or 1).</param>
public readonly record struct EpochReport(int Epoch, float Loss, float? Accuracy)
{
    /// <summary>The regularization penalty lambda/(2m) sum |theta| or theta^2 at the end of the epoch; 0 without regularization.</summary>
    public float Penalty { get; init; }

    /// <summary>The cost gradient descent minimizes: <see cref="Loss"/> plus <see cref="Penalty"/>.</summary>
    public float Cost => Loss + Penalty;

    /// <summary>The mean loss over the validation data, when there is any.</summary>
    public float? ValidationLoss { get; init; }

    /// <summary>The fraction of validation samples predicted right, when there are validation data with labels.</summary>
    public float? ValidationAccuracy { get; init; }

    /// <summary>The learning rate used in this epoch.</summary>
    public double LearningRate { get; init; }

    /// <summary>
    /// The time since training started, read at the end of this epoch. Where epochs take under 2 us and no
    /// <see cref="TrainingOptions.Progress"/> callback watches, the clock (about 20 ns a reading) is read every 16th
    /// epoch and at the last, and the epochs between carry the time last read.
    /// </summary>
    public TimeSpan Elapsed { get; init; }
}
