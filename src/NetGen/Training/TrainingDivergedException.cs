using System.Globalization;

namespace NetGen;

/// <summary>
/// Thrown when training diverges: a batch's loss or gradient is NaN or infinite, or (in
/// <see cref="Trainer{TNetwork}.Train"/>) the parameters and the loss have both run away from where training started.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception with a message saying that training diverged.</summary>
    public TrainingDivergedException()
        : this("Training diverged.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public TrainingDivergedException(string? message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public TrainingDivergedException(string? message, Exception? innerException)
        : base(message, innerException)
    {
        Loss = float.NaN;
    }

    /// <summary>Creates the exception for divergence found in <paramref name="epoch"/>, at <paramref name="batch"/> when known.</summary>
    /// <param name="message">What diverged, and what to do.</param>
    /// <param name="epoch">The epoch (from 1), or null when the batch was trained outside an epoch (<see cref="Trainer{TNetwork}.TrainBatch"/>).</param>
    /// <param name="batch">The batch (from 1, within the epoch), or null when divergence was found at the end of the epoch.</param>
    /// <param name="loss">The loss that diverged: the batch's mean loss, or the epoch's.</param>
    public TrainingDivergedException(string? message, int? epoch, int? batch, float loss)
        : base(message)
    {
        if (epoch is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "Epochs count from 1.");
        }
        if (batch is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "Batches count from 1.");
        }
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>The epoch (from 1) in which training diverged, or null when the batch was trained outside an epoch.</summary>
    public int? Epoch { get; }

    /// <summary>The batch (from 1, within the epoch) whose loss or gradient was not finite, or null when divergence was found at the end of an epoch.</summary>
    public int? Batch { get; }

    /// <summary>The loss that diverged (the batch's or the epoch's mean loss); NaN when not given.</summary>
    public float Loss { get; }

    /// <summary>The exception for a batch whose loss or gradient is not finite.</summary>
    internal static TrainingDivergedException NotFinite(int? epoch, int? batch, float loss, string parameters)
    {
        string where = (epoch, batch) switch
        {
            (null, _) => "the batch",
            (_, null) => $"the training data at the end of epoch {epoch}",
            _ => $"batch {batch} in epoch {epoch}",
        };
        return new TrainingDivergedException(
            $"Training diverged: the {(float.IsFinite(loss) ? "gradient" : "loss")} of {where} is not finite (loss {Format(loss)}). {parameters} " +
            "Check the data for NaN or infinite values, or lower the learning rate.",
            epoch, batch, loss);
    }

    /// <summary>The exception for an epoch at whose end the parameters and the loss have run away.</summary>
    internal static TrainingDivergedException RanAway(int epoch, int? batch, float loss, double startLoss, double parameterRms, double startParameterRms, string parameters)
        => new(
            $"Training diverged in {(batch is null ? "" : $"batch {batch} of ")}epoch {epoch}: the mean loss grew from {Format(startLoss)} to {Format(loss)} and the parameters' root mean square " +
            $"from {Format(startParameterRms)} to {Format(parameterRms)}, both more than {DivergenceCheck.RunawayFactor.ToString(CultureInfo.InvariantCulture)} times. " +
            $"{parameters} Lower the learning rate.",
            epoch, batch, loss);

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
