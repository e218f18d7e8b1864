namespace WebDigits.Components;

/// <summary>One epoch's figures on a training curve.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Loss">The mean loss over the training data.</param>
/// <param name="Accuracy">The accuracy over the training data, 0 to 1.</param>
/// <param name="TestAccuracy">The accuracy over held-out data, when there is any.</param>
public sealed record EpochPoint(int Epoch, double Loss, double Accuracy, double? TestAccuracy = null);
