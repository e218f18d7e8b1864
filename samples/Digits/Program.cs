// Handwritten digits: a 64-64-10 network trained with Adam, dropout and early stopping on the 1,797 8x8 digits of the
// UCI data set (data/digits, CC BY 4.0), then tested on a fifth of them it never saw.
using System.Diagnostics;
using NetGen;


string path = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
var (all, _) = CsvData.LoadClassification(path, classCount: 10, featureScale: 1f / 16f);
var (training, test) = all.Split(0.8, seed: 42);
Console.WriteLine($"{all.Count} digits: {training.Count} to train on (a tenth of them held out to decide when to stop), {test.Count} to test on.");
Console.WriteLine();

bool interactive = !Console.IsOutputRedirected;
// Ctrl-C ends training the way early stopping does: the best epoch's parameters are kept and tested below.
// A second Ctrl-C ends the process as usual.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};
if (interactive)
{
    Console.WriteLine("Press Ctrl-C to stop training and test what has been learned so far.");
}

var net = new DigitsNet();
var clock = Stopwatch.StartNew();
TrainingResult result = Trainer.Train(net, training, new TrainingOptions
{
    Epochs = 200,
    BatchSize = 32,
    LearningRate = 1e-3,
    Optimizer = new Adam(),
    Seed = 1,
    ValidationSplit = 0.1,
    EarlyStopping = new EarlyStopping { Metric = EarlyStoppingMetric.ValidationLoss, Patience = 15 },
    Progress = new EpochPrinter(interactive),
}, cancellation.Token);
clock.Stop();
if (interactive)
{
    Console.WriteLine();
}
Console.WriteLine(
    result.Cancelled ? $"Interrupted in epoch {result.History.Count}: the network keeps the parameters of epoch {result.BestEpoch}, the best on the validation loss."
    : result.StoppedEarly ? $"Stopped after epoch {result.History.Count}: the validation loss last improved at epoch {result.BestEpoch}, whose parameters are restored."
    : $"Trained all {result.History.Count} epochs; the best validation loss was at epoch {result.BestEpoch}.");
Console.WriteLine($"Training took {clock.Elapsed.TotalSeconds:F2} s.");
Console.WriteLine();

var confusion = new int[10, 10];
var output = new float[DigitsNet.OutputSize];
int correct = 0;
for (int s = 0; s < test.Count; s++)
{
    net.Predict(test.GetFeatures(s), output);
    int predicted = ArgMax(output), actual = ArgMax(test.GetTargets(s));
    confusion[actual, predicted]++;
    if (predicted == actual)
    {
        correct++;
    }
}
double accuracy = (double)correct / test.Count;
Console.WriteLine($"Test accuracy: {accuracy:P2} ({correct} of {test.Count}).");
Console.WriteLine();
Console.WriteLine("Confusion matrix (rows: the true digit, columns: the predicted one):");
Console.WriteLine("       " + string.Concat(Enumerable.Range(0, 10).Select(d => $"{d,4}")));
for (int actual = 0; actual < 10; actual++)
{
    Console.WriteLine($"   {actual}   " + string.Concat(Enumerable.Range(0, 10).Select(p => $"{(confusion[actual, p] == 0 ? "." : confusion[actual, p].ToString()),4}")));
}
return accuracy >= 0.97 ? 0 : 1;

static int ArgMax(ReadOnlySpan<float> values)
{
    int best = 0;
    for (int i = 1; i < values.Length; i++)
    {
        if (values[i] > values[best])
        {
            best = i;
        }
    }
    return best;
}

/// <summary>Prints each epoch's figures: on one line rewritten in place on a terminal, every tenth epoch otherwise.</summary>
internal sealed class EpochPrinter(bool interactive) : IProgress<EpochReport>
{
    public void Report(EpochReport report)
    {
        string line = $"epoch {report.Epoch,3}: loss {report.Loss:F4}, accuracy {report.Accuracy:P1} | validation loss {report.ValidationLoss:F4}, accuracy {report.ValidationAccuracy:P1} | {report.Elapsed.TotalSeconds:F1} s";
        if (interactive)
        {
            Console.Write("\r" + line);
        }
        else if (report.Epoch % 10 == 0)
        {
            Console.WriteLine(line);
        }
    }
}

/// <summary>64 pixels in, 64 ReLU units (a fifth dropped while training), 10 digit probabilities out.</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(64)]
[Dense(64, Activation.ReLU, Dropout = 0.2f)]
[Dense(10, Activation.Softmax)]
public partial class DigitsNet;
