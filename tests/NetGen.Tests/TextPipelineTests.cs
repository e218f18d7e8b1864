using Spam;

namespace NetGen.Tests;

/// <summary>
/// samples/SpamFilter's pipeline on the committed, preprocessed subset of the SpamAssassin corpus (Data/SpamAssassin,
/// 400 emails): a stratified split, a vocabulary of the training emails only, rows of token ids, and the issue's
/// network learning well above always saying ham.
/// </summary>
public sealed class TextPipelineTests
{
    private static readonly Lazy<List<LabelledText>> Subset = new(() =>
        [.. SubsetFile.Read(Path.Combine(AppContext.BaseDirectory, "Data", "SpamAssassin", "subset.tsv.gz"))
            .Select(email => new LabelledText(EmailTokenizer.Tokenize(email.Text), email.IsSpam))]);

    [Fact]
    public void TheSubsetHoldsHamAndSpamAsDocumented()
    {
        Assert.Equal(400, Subset.Value.Count);
        Assert.Equal(122, Subset.Value.Count(t => t.IsSpam));
    }

    [Fact]
    public void TheSplitIsStratifiedDisjointAndComplete()
    {
        (int[] training, int[] validation, int[] test) = SpamPipeline.Split(Subset.Value, 0.72, 0.08, seed: 1);

        Assert.Equal(Enumerable.Range(0, 400), training.Concat(validation).Concat(test).Order());
        // 278 ham and 122 spam: round(0.72 n) and round(0.08 n) of each class.
        Assert.Equal((200, 88), Count(training));
        Assert.Equal((22, 10), Count(validation));
        Assert.Equal((56, 24), Count(test));

        (int Ham, int Spam) Count(int[] indices) => (indices.Count(i => !Subset.Value[i].IsSpam), indices.Count(i => Subset.Value[i].IsSpam));
    }

    [Fact]
    public void TheVocabularyComesFromTheTrainingEmailsOnly()
    {
        (int[] training, _, int[] test) = SpamPipeline.Split(Subset.Value, 0.72, 0.08, seed: 1);
        var trainingWords = training.SelectMany(i => Subset.Value[i].Tokens).ToHashSet();
        // Test-only words seen twice or more: they would get an id if the test emails were counted.
        string[] testOnly = [.. test.SelectMany(i => Subset.Value[i].Tokens).Where(w => !trainingWords.Contains(w))
            .GroupBy(w => w).Where(g => g.Count() >= SpamPipeline.MinCount).Select(g => g.Key)];
        Assert.NotEmpty(testOnly);

        Vocabulary vocabulary = SpamPipeline.BuildVocabulary(training.Select(i => Subset.Value[i]));

        Assert.All(testOnly, word => Assert.Equal(Vocabulary.UnknownId, vocabulary.IdOf(word)));
        Assert.All(vocabulary.Words.Skip(Vocabulary.ReservedCount), word => Assert.Contains(word, trainingWords));
    }

    [Fact]
    public void EncodingTruncatesAndPadsEveryEmailToTheInputLength()
    {
        Vocabulary vocabulary = SpamPipeline.BuildVocabulary(Subset.Value);
        DataSet atEnd = SpamPipeline.Encode(Subset.Value, vocabulary, padAtFront: false);
        DataSet atFront = SpamPipeline.Encode(Subset.Value, vocabulary, padAtFront: true);
        var ids = new int[SpamPipeline.InputLength];

        Assert.Equal(SpamFilter.InputSize, atEnd.FeatureSize);
        for (int i = 0; i < Subset.Value.Count; i++)
        {
            IReadOnlyList<string> tokens = Subset.Value[i].Tokens;
            int kept = Math.Min(tokens.Count, SpamPipeline.InputLength);
            atEnd.GetTokenIds(i, ids);
            Assert.Equal(tokens.Take(kept).Select(vocabulary.IdOf), ids.Take(kept));
            Assert.All(ids.Skip(kept), id => Assert.Equal(Vocabulary.PaddingId, id));
            atFront.GetTokenIds(i, ids);
            Assert.Equal(tokens.Take(kept).Select(vocabulary.IdOf), ids.Skip(SpamPipeline.InputLength - kept));
            Assert.Equal(spamTarget(i), atEnd.GetTargets(i)[0]);
        }
        Assert.Contains(Subset.Value, t => t.Tokens.Count > SpamPipeline.InputLength);
        Assert.Contains(Subset.Value, t => t.Tokens.Count < SpamPipeline.InputLength);

        float spamTarget(int i) => Subset.Value[i].IsSpam ? 1f : 0f;
    }

    [Fact]
    public void TheSpamFilterLearnsTheSubsetWellAboveAlwaysSayingHam()
    {
        (int[] trainingIndices, int[] validationIndices, int[] testIndices) = SpamPipeline.Split(Subset.Value, 0.72, 0.08, seed: 1);
        List<LabelledText> training = [.. trainingIndices.Select(i => Subset.Value[i])];
        Vocabulary vocabulary = SpamPipeline.BuildVocabulary(training);
        DataSet test = SpamPipeline.Encode([.. testIndices.Select(i => Subset.Value[i])], vocabulary, padAtFront: false);
        var net = new SpamFilter();

        SpamPipeline.Train(net, SpamPipeline.Encode(training, vocabulary, padAtFront: false),
            SpamPipeline.Encode([.. validationIndices.Select(i => Subset.Value[i])], vocabulary, padAtFront: false), epochs: 20, learningRate: 5e-3);
        EvaluationResult result = Trainer.Evaluate(net, test);

        double alwaysHam = 56.0 / 80;
        Assert.True(result.Accuracy >= 0.9, $"test accuracy {result.Accuracy:P1}; always saying ham scores {alwaysHam:P1}");
        Assert.True(result.PerClass![1].Recall >= 0.75, $"spam recall {result.PerClass[1].Recall:P1}");
    }

    [Fact]
    public void NearestWordsRanksTheFrequentWordsByCosineSimilarity()
    {
        var vocabulary = new Vocabulary(["free", "cash", "linux", "offer", "rare"]);
        var net = new SpamFilter();
        ParameterBlock table = SpamFilter.Layers[0].Parameters[0];
        net.Parameters.AsSpan(table.Offset, table.Count).Clear();
        void Row(int id, float x, float y) { net.Parameters[table.Offset + id * 32] = x; net.Parameters[table.Offset + id * 32 + 1] = y; }
        Row(2, 1f, 0f);     // free
        Row(3, 2f, 0.2f);   // cash: nearly free's direction, longer
        Row(4, -1f, 0f);    // linux: the opposite
        Row(5, 1f, 1f);     // offer: 45 degrees
        Row(6, 1f, 0.01f);  // rare: the nearest, but not among the 4 most frequent

        var nearest = SpamPipeline.NearestWords(net, vocabulary, "free", 3, candidates: 4);

        Assert.Equal(["cash", "offer", "linux"], nearest.Select(n => n.Word));
        Assert.Equal(2f / MathF.Sqrt(4.04f), nearest[0].Similarity, 5);
        Assert.Equal(MathF.Sqrt(0.5f), nearest[1].Similarity, 5);
        Assert.Equal(-1f, nearest[2].Similarity, 5);
        Assert.Empty(SpamPipeline.NearestWords(net, vocabulary, "absent", 3, candidates: 4));
    }
}
