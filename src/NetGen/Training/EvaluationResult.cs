namespace NetGen;

/// <summary>How well a network does on a data set: what <see cref="Trainer.Evaluate{TNetwork}"/> measures.</summary>
/// <param name="Loss">The mean loss over the samples (the network's <see cref="INetwork{TSelf}.Loss"/>, no regularization penalty).</param>
/// <param name="Accuracy">The fraction of samples predicted right, or null when the targets are not labels (0 or 1).</param>
/// <param name="Count">The number of samples.</param>
public sealed record EvaluationResult(float Loss, float? Accuracy, int Count);
