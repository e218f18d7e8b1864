// Fashion-MNIST read row by row: a GRU (RowReader.cs) reads each image as 28 steps of 28 pixels, trained with Adam and
// early stopping on Zalando's 60,000 clothing images, then tested on the 10,000 it never saw. The last part streams
// one test image a row at a time with Step, and shows the prediction forming as the rows come in. The data is the
// Debian package dataset-fashion-mnist (MIT licence): sudo apt-get install dataset-fashion-mnist
//
//   dotnet run --project samples/SequenceClassification -c Release      all the data, 14 epochs: 89.39 % test accuracy
//                                                                        (19 minutes on 2 shared cores)
//   dotnet run --project samples/SequenceClassification -c Release -- --train 6000 --test 1000 --epochs 2     a quick run
using System.Diagnostics;
using FashionMnist;
using SequenceClassification;
using NetGen;

string dataDirectory = Option("--data", FashionMnistData.DefaultDirectory);
int trainLimit = int.Parse(Option("--train", "60000"));
int testLimit = int.Parse(Option("--test", "10000"));
int epochs = int.Parse(Option("--epochs", "14"));
string[] classes = FashionMnistData.Classes;

if (FashionMnistData.Load(dataDirectory, trainLimit, testLimit, RowReader.InputSize) is not var (training, test))
{
    return 2;
}
Console.WriteLine($"Fashion-MNIST: {training.Count} training images (a twelfth held out to decide when to stop), {test.Count} test images.");
foreach (NetGen.LayerInfo layer in RowReader.Layers)
{
    Console.WriteLine($"  {layer}");
}
Console.WriteLine($"  {RowReader.ParameterCount} parameters");
Console.WriteLine();

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var net = new RowReader();
var clock = Stopwatch.StartNew();
TrainingResult result = Trainer.Train(net, training, new TrainingOptions
{
    Epochs = epochs,
    BatchSize = 64,
    LearningRate = 2e-3f,
    Optimizer = new Adam(),
    Seed = 1,
    Threads = 2,
    ValidationSplit = 1.0 / 12,
    EarlyStopping = new EarlyStopping { Metric = EarlyStoppingMetric.ValidationLoss, Patience = 4 },
    Schedule = LearningRateSchedule.StepDecay(stepSize: 8, gamma: 0.5f),
    Progress = new EpochPrinter(),
}, cancel.Token);
clock.Stop();
if (result.Cancelled)
{
    Console.WriteLine($"Interrupted in epoch {result.History.Count}: the network keeps the parameters of epoch {result.BestEpoch}, the best on the validation loss.");
}
Console.WriteLine($"Training took {clock.Elapsed.TotalSeconds:F0} s ({result.History.Count} epochs, best at epoch {result.BestEpoch}, on {Environment.ProcessorCount} cores).");
Console.WriteLine();

FashionMnistData.Print(Trainer.Evaluate(net, test));
Console.WriteLine();
Console.WriteLine("The first test image, streamed a row at a time: the class the network would give if the image ended there.");
var state = default(RowReader.StreamState);
var output = new float[RowReader.OutputSize];
ReadOnlySpan<float> image = test.GetFeatures(0);
for (int row = 0; row < 28; row++)
{
    net.Step(ref state, image.Slice(row * 28, 28), output);
    int guess = ClassLabels.Of(output);
    Console.WriteLine($"  after row {row + 1,2}: {classes[guess],-11} ({output[guess]:P0})");
}
Console.WriteLine($"  the true class: {classes[ClassLabels.Of(test.GetTargets(0))]}");
return 0;

string Option(string name, string fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

/// <summary>Prints each epoch's figures as training reports them.</summary>
internal sealed class EpochPrinter : IProgress<EpochReport>
{
    public void Report(EpochReport report) => Console.WriteLine(
        $"epoch {report.Epoch,2}: loss {report.Loss:F4}, accuracy {report.Accuracy:P1} | validation loss {report.ValidationLoss:F4}, accuracy {report.ValidationAccuracy:P1} | {report.Elapsed.TotalSeconds:F0} s");
}
