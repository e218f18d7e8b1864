namespace NetGen;

/// <summary>The outcome of <see cref="Perceptron.Train{TNetwork}"/>.</summary>
/// <param name="Epochs">The number of passes made over the data.</param>
/// <param name="Converged">True when a whole pass made no mistake, so every sample is classified right.</param>
/// <param name="Accuracy">The fraction of samples classified right at the end.</param>
/// <param name="BestAccuracy">The highest fraction of samples classified right after any pass.</param>
public readonly record struct PerceptronResult(int Epochs, bool Converged, float Accuracy, float BestAccuracy);
