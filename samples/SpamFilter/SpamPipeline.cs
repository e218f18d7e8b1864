using NetGen;

namespace Spam;

/// <summary>An email as the networks see it: its words, and whether it is spam.</summary>
/// <param name="Tokens">The words of its plain text (<see cref="EmailTokenizer"/>).</param>
/// <param name="IsSpam">Its label.</param>
internal sealed record LabelledText(IReadOnlyList<string> Tokens, bool IsSpam);

/// <summary>
/// The steps from emails to a trained filter, shared by the sample and its tests: a stratified split, a vocabulary of
/// the training emails, rows of token ids, training with Adam and early stopping, and the nearest words of the embedding.
/// </summary>
internal static class SpamPipeline
{
    /// <summary>Token ids per email: the networks' input length.</summary>
    public const int InputLength = 200;

    /// <summary>The embedding's rows: the most ids the vocabulary may have.</summary>
    public const int VocabularySize = 20000;

    /// <summary>A word seen once in training is more likely a typo or a hash than a clue.</summary>
    public const int MinCount = 2;

    /// <summary>The words of a raw email.</summary>
    public static LabelledText Prepare(RawEmail email) => new(EmailTokenizer.Tokenize(EmailText.ToPlainText(email.Raw)), email.IsSpam);

    /// <summary>
    /// The indices of the emails cut three ways with the runtime's stratified split, so that each part holds ham and
    /// spam in the proportions of the whole.
    /// </summary>
    public static (int[] Training, int[] Validation, int[] Test) Split(IReadOnlyList<LabelledText> texts, double trainingFraction, double validationFraction, int seed)
    {
        // DataSplit stratifies data sets: one whose single feature is the email's index and whose target is its label.
        var indices = new float[texts.Count];
        var labels = new float[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            indices[i] = i;
            labels[i] = texts[i].IsSpam ? 1f : 0f;
        }
        DataSplit split = DataSplit.Stratified(new DataSet(indices, labels, 1, 1), trainingFraction, validationFraction, seed);
        return (IndicesOf(split.Training), IndicesOf(split.Validation), IndicesOf(split.Test));
    }

    private static int[] IndicesOf(DataSet part) => [.. Enumerable.Range(0, part.Count).Select(i => (int)part.GetFeatures(i)[0])];

    /// <summary>The vocabulary of the training emails only: the test emails' words stay unseen, as they would be in use.</summary>
    public static Vocabulary BuildVocabulary(IEnumerable<LabelledText> training)
        => Vocabulary.Build(training.Select(text => text.Tokens), VocabularySize, MinCount);

    /// <summary>The emails as a data set of token ids, truncated or padded to <see cref="InputLength"/>; padded at the front for a recurrent network.</summary>
    public static DataSet Encode(IReadOnlyList<LabelledText> texts, Vocabulary vocabulary, bool padAtFront)
    {
        var ids = new int[texts.Count * InputLength];
        var targets = new float[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            Span<int> row = ids.AsSpan(i * InputLength, InputLength);
            int count = vocabulary.Encode(texts[i].Tokens, row);
            if (padAtFront)
            {
                PadAtFront(row, count);
            }
            targets[i] = texts[i].IsSpam ? 1f : 0f;
        }
        return DataSet.FromTokenIds(ids, targets, InputLength, 1);
    }

    /// <summary>Moves the first <paramref name="count"/> ids of a row padded at the end to its end, the padding before them.</summary>
    public static void PadAtFront(Span<int> row, int count)
    {
        row[..count].CopyTo(row[(row.Length - count)..]);
        row[..(row.Length - count)].Fill(Vocabulary.PaddingId);
    }

    /// <summary>Adam with early stopping on the validation loss; the network keeps its best epoch's parameters.</summary>
    public static TrainingResult Train<TNetwork>(TNetwork network, DataSet training, DataSet validation, int epochs, double learningRate, IProgress<EpochReport>? progress = null)
        where TNetwork : class, INetwork<TNetwork>
        => Trainer.Train(network, training, new TrainingOptions
        {
            Epochs = epochs,
            BatchSize = 32,
            LearningRate = learningRate,
            Optimizer = new Adam(),
            Seed = 1,
            Threads = 2,
            ValidationData = validation,
            EarlyStopping = new EarlyStopping { Metric = EarlyStoppingMetric.ValidationLoss, Patience = 3 },
            Progress = progress,
        });

    /// <summary>
    /// The <paramref name="count"/> words, among the <paramref name="candidates"/> most frequent, whose embedding
    /// vectors point most nearly the way <paramref name="probe"/>'s does (cosine similarity), with that similarity;
    /// empty when the vocabulary does not hold the probe. Rare words are left out: seen in a handful of emails, their
    /// vectors are still mostly their random initialization.
    /// </summary>
    public static List<(string Word, float Similarity)> NearestWords<TNetwork>(TNetwork network, Vocabulary vocabulary, string probe, int count, int candidates)
        where TNetwork : class, INetwork<TNetwork>
    {
        if (!vocabulary.Contains(probe))
        {
            return [];
        }
        ParameterBlock table = TNetwork.Layers[0].Parameters[0];
        int dimensions = table.Shape[1];
        ReadOnlySpan<float> rows = network.Parameters.AsSpan(table.Offset, table.Count);
        ReadOnlySpan<float> probeRow = rows.Slice(vocabulary.IdOf(probe) * dimensions, dimensions);
        var nearest = new List<(string Word, float Similarity)>();
        for (int id = Vocabulary.ReservedCount; id < Math.Min(vocabulary.Count, Vocabulary.ReservedCount + candidates); id++)
        {
            if (vocabulary.Words[id] != probe)
            {
                nearest.Add((vocabulary.Words[id], Cosine(probeRow, rows.Slice(id * dimensions, dimensions))));
            }
        }
        return [.. nearest.OrderByDescending(pair => pair.Similarity).Take(count)];
    }

    private static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float dot = 0, normA = 0, normB = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return normA > 0 && normB > 0 ? dot / MathF.Sqrt(normA * normB) : 0f;
    }
}
