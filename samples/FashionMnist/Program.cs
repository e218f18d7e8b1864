// Fashion-MNIST: a small convolutional network (FashionNet.cs) trained with Adam and early stopping on Zalando's
// 60,000 clothing images, then tested on the 10,000 it never saw. The data is the Debian package dataset-fashion-mnist
// (MIT licence): sudo apt-get install dataset-fashion-mnist
//
//   dotnet run --project samples/FashionMnist -c Release                      all the data
//   dotnet run --project samples/FashionMnist -c Release -- --train 6000 --test 1000 --epochs 2     a quick run
// It writes PNG pictures of the learned filters, one image's feature maps and an edge detector to --pictures (default
// ./fashion-pictures).
using System.Diagnostics;
using FashionMnist;
using NetGen;

string dataDirectory = Option("--data", FashionMnistData.DefaultDirectory);
int trainLimit = int.Parse(Option("--train", "60000"));
int testLimit = int.Parse(Option("--test", "10000"));
int epochs = int.Parse(Option("--epochs", "30"));
string pictures = Option("--pictures", "fashion-pictures");

if (FashionMnistData.Load(dataDirectory, trainLimit, testLimit, FashionNet.InputSize) is not var (training, test))
{
    return 2;
}
Console.WriteLine($"Fashion-MNIST: {training.Count} training images (a twelfth held out to decide when to stop), {test.Count} test images.");
foreach (NetGen.LayerInfo layer in FashionNet.Layers)
{
    Console.WriteLine($"  {layer}");
}
Console.WriteLine($"  {FashionNet.ParameterCount} parameters");
Console.WriteLine();

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var net = new FashionNet();
var clock = Stopwatch.StartNew();
TrainingResult result = Trainer.Train(net, training, new TrainingOptions
{
    Epochs = epochs,
    BatchSize = 64,
    LearningRate = 1e-3,
    Optimizer = new Adam(),
    Seed = 1,
    Threads = 2,
    ValidationSplit = 1.0 / 12,
    EarlyStopping = new EarlyStopping { Metric = EarlyStoppingMetric.ValidationLoss, Patience = 5 },
    Schedule = LearningRateSchedule.StepDecay(stepSize: 10, gamma: 0.5),
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

Directory.CreateDirectory(pictures);
int coat = Enumerable.Range(0, test.Count).First(s => ClassLabels.Of(test.GetTargets(s)) == 4);
Console.WriteLine();
Console.WriteLine("Pictures:");
Console.WriteLine($"  {Pictures.WriteFilters(pictures, net)}: the first convolution's {FashionNet.Layers[0].OutputShape[0]} learned 3x3 filters (red positive, blue negative)");
Console.WriteLine($"  {Pictures.WriteFeatureMaps(pictures, net, test.GetFeatures(coat))}: a coat, its feature maps after each convolution, in rows of eight");
Console.WriteLine($"  {Pictures.WriteEdges(pictures, test.GetFeatures(coat))}: the coat, hand-set Sobel kernels across and down, the edge strength");
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
