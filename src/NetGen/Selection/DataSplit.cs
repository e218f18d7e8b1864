namespace NetGen;

/// <summary>
/// A data set cut three ways, as the course's strategy asks: train on <see cref="Training"/>, choose between models and
/// settings on <see cref="Validation"/>, and measure the chosen one once on <see cref="Test"/>.
/// </summary>
/// <param name="Training">The samples to train on.</param>
/// <param name="Validation">The samples to choose models and hyperparameters by (the "dev set").</param>
/// <param name="Test">The samples kept for one final, unbiased measure.</param>
public sealed record DataSplit(DataSet Training, DataSet Validation, DataSet Test)
{
    /// <summary>
    /// Splits <paramref name="data"/> at random (with <paramref name="seed"/>) so that each part holds every class in the
    /// proportions of the whole: of each class's samples, round(<paramref name="trainingFraction"/> x n) go to training,
    /// round(<paramref name="validationFraction"/> x n) to validation, and the rest to test. When the targets are not
    /// labels, the samples are split at random as one group. Each part is then shuffled, and its values copied.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A fraction is not in (0, 1), they leave nothing for the test set, or a part would be empty.</exception>
    public static DataSplit Stratified(DataSet data, double trainingFraction, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(trainingFraction > 0 && trainingFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(trainingFraction), trainingFraction, "The training fraction must be between 0 and 1.");
        }
        if (!(validationFraction > 0 && trainingFraction + validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction,
                $"The validation fraction must be greater than 0 and leave a test set: less than {1 - trainingFraction} with a training fraction of {trainingFraction}.");
        }
        List<int> training = [], validation = [], test = [];
        foreach (List<int> group in Stratification.ShuffledClasses(data, seed))
        {
            int trainingCount = (int)Math.Round(trainingFraction * group.Count);
            int validationCount = Math.Min((int)Math.Round(validationFraction * group.Count), group.Count - trainingCount);
            training.AddRange(group.Take(trainingCount));
            validation.AddRange(group.Skip(trainingCount).Take(validationCount));
            test.AddRange(group.Skip(trainingCount + validationCount));
        }
        var random = new DeterministicRandom(Stratification.Derive(seed, 1));
        return new DataSplit(
            Part(data, training, "training", ref random, trainingFraction),
            Part(data, validation, "validation", ref random, validationFraction),
            Part(data, test, "test", ref random, 1 - trainingFraction - validationFraction));
    }

    private static DataSet Part(DataSet data, List<int> indices, string name, ref DeterministicRandom random, double fraction)
    {
        if (indices.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(data), data.Count,
                $"A {name} fraction of {fraction:G3} of {data.Count} samples leaves the {name} set empty.");
        }
        int[] order = [.. indices];
        random.Shuffle(order.AsSpan());
        return data.Subset(order);
    }
}
