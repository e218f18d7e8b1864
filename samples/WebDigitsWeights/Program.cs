// The weights the web page compiles in, and the desktop side of its speed figure.
//   dotnet run --project samples/WebDigitsWeights -c Release -- train samples/WebDigits/DigitsNet.weights
//   dotnet run --project samples/WebDigitsWeights -c Release -- bench
// `train` is the Digits sample's recipe (same split, same options, same seed), so the page's network never saw the
// fifth of the digits that the Digits sample tests on, and the browser tests check it on exactly those.
using NetGen;
using WebDigits.Digits;

string path = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
var (all, _) = CsvData.LoadClassification(path, classCount: 10, featureScale: 1f / 16f);
var (training, test) = all.Split(0.8, seed: 42);

switch (args)
{
    case ["train", string weightsPath]:
    {
        var net = new TrainedDigitsNet();
        TrainingResult result = Trainer.Train(net, training, new TrainingOptions
        {
            Epochs = 200,
            BatchSize = 32,
            LearningRate = 1e-3,
            Optimizer = new Adam(),
            Seed = 1,
            ValidationSplit = 0.1,
            EarlyStopping = new EarlyStopping { Metric = EarlyStoppingMetric.ValidationLoss, Patience = 15 },
        });
        EvaluationResult figures = Trainer.Evaluate(net, test);
        Console.WriteLine($"Trained {result.History.Count} epochs (best {result.BestEpoch}); held-out accuracy {figures.Accuracy:P2} on {test.Count} digits.");
        CompiledWeightsFile.Save(net, weightsPath);
        Console.WriteLine($"Wrote {Path.GetFullPath(weightsPath)}.");
        return figures.Accuracy >= 0.97 ? 0 : 1;
    }
    case ["bench"]:
    {
        var net = new TrainedDigitsNet();
        Trainer.Train(net, training, new TrainingOptions { Epochs = 1, Optimizer = new Adam(), LearningRate = 1e-3, Seed = 1 });
        for (int round = 0; round < 5; round++)
        {
            PredictionSpeed speed = PredictionSpeed.Measure(net, test.GetFeatures(0), TimeSpan.FromSeconds(1));
            Console.WriteLine($"{speed.PredictionsPerSecond:N0} predictions per second ({speed.Predictions:N0} in {speed.Elapsed.TotalMilliseconds:F0} ms); {PredictionSpeed.VectorPath}");
        }
        return 0;
    }
    default:
        Console.Error.WriteLine("Usage: WebDigitsWeights train PATH | bench");
        return 2;
}

/// <summary>The Digits sample's network (64 pixels, 64 ReLU units with dropout 0.2, 10 softmax), trained here from scratch.</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(64)]
[Dense(64, Activation.ReLU, Dropout = 0.2f)]
[Dense(10, Activation.Softmax)]
public partial class TrainedDigitsNet;
