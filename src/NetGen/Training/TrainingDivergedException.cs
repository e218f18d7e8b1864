namespace NetGen;

/// <summary>Thrown when the loss or gradient of a batch is NaN or infinite. The parameters keep the values of the last finite step.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the batch whose loss or gradient was not finite.</summary>
    public TrainingDivergedException(int epoch, int batch, float loss)
        : base($"Training diverged: the {(float.IsFinite(loss) ? "gradient" : "loss")} of batch {batch} in epoch {epoch} is not finite (loss {loss}). " +
               "The parameters hold the values of the last finite step. Check the data for NaN or infinite values, or lower the learning rate.")
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>The epoch (from 1) in which training diverged.</summary>
    public int Epoch { get; }

    /// <summary>The batch (from 1, within the epoch) whose loss or gradient was not finite.</summary>
    public int Batch { get; }

    /// <summary>The batch's mean loss.</summary>
    public float Loss { get; }
}
