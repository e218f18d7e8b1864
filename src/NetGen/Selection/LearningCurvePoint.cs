namespace NetGen;

/// <summary>One point of a <see cref="LearningCurve"/>.</summary>
/// <param name="X">The epoch, or the number of training samples.</param>
/// <param name="Training">The metric on the training data.</param>
/// <param name="Validation">The metric on the validation data, when there are any.</param>
public readonly record struct LearningCurvePoint(double X, double Training, double? Validation);
