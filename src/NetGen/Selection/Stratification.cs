namespace NetGen;

/// <summary>Seeded, class-balanced orderings of a data set's samples: what splits and folds are cut from.</summary>
internal static class Stratification
{
    /// <summary>
    /// The sample indices grouped by class (see <see cref="ClassLabels"/>), each group in a seeded random order; one
    /// group of every sample when the targets are not labels.
    /// </summary>
    public static List<int>[] ShuffledClasses(DataSet data, int seed)
    {
        int classCount = data.HasBinaryTargets ? ClassLabels.Count(data.TargetSize) : 1;
        var groups = new List<int>[classCount];
        for (int c = 0; c < classCount; c++)
        {
            groups[c] = [];
        }
        for (int i = 0; i < data.Count; i++)
        {
            groups[classCount == 1 ? 0 : ClassLabels.Of(data.GetTargets(i))].Add(i);
        }
        var random = new DeterministicRandom(seed);
        foreach (List<int> group in groups)
        {
            int[] items = [.. group];
            random.Shuffle(items.AsSpan());
            group.Clear();
            group.AddRange(items);
        }
        return groups;
    }

    /// <summary>
    /// <paramref name="folds"/> disjoint sets of sample indices covering the data, each holding the classes in the
    /// proportions of the whole (the samples of each class dealt round-robin, continuing from class to class).
    /// </summary>
    public static int[][] Folds(DataSet data, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (folds < 2 || folds > data.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, $"Cross-validation needs from 2 to {data.Count} folds (the number of samples).");
        }
        var dealt = new List<int>[folds];
        for (int f = 0; f < folds; f++)
        {
            dealt[f] = [];
        }
        int next = 0;
        foreach (List<int> group in ShuffledClasses(data, seed))
        {
            foreach (int sample in group)
            {
                dealt[next++ % folds].Add(sample);
            }
        }
        return [.. dealt.Select(f => f.ToArray())];
    }

    /// <summary>Every index of <paramref name="folds"/> but those of fold <paramref name="held"/>, fold after fold.</summary>
    public static int[] AllBut(int[][] folds, int held)
    {
        var indices = new List<int>();
        for (int f = 0; f < folds.Length; f++)
        {
            if (f != held)
            {
                indices.AddRange(folds[f]);
            }
        }
        return [.. indices];
    }

    /// <summary>A seed for stream <paramref name="stream"/> of <paramref name="seed"/>, different for every stream.</summary>
    public static int Derive(int seed, int stream) => unchecked((int)new DeterministicRandom(seed).Fork(stream).NextUInt32());
}
