// Machine-learning strategy on the 1,797 handwritten 8x8 digits (data/digits, CC BY 4.0): split the data properly,
// diagnose an under-fitting and an over-fitting network from their curves and fix each, choose hyperparameters by
// cross-validated random search, and measure the test set once, at the very end.
//
//   dotnet run -c Release --project samples/Strategy [plots folder]
//
// The plots are written to the folder given, or to ./strategy-plots.
using NetGen;
using NetGen.Plotting;
using Spectre.Console;

string plots = Path.GetFullPath(args.Length > 0 ? args[0] : "strategy-plots");
Directory.CreateDirectory(plots);
bool interactive = !Console.IsOutputRedirected;
if (!interactive)
{
    AnsiConsole.Profile.Width = 120; // a log keeps whole lines
}
// The goal: 95% of the digits right. Training error above 5% is high bias; validation error 5 points above training is high variance.
const double AcceptableError = 0.05;

var (all, _) = CsvData.LoadClassification(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"), classCount: 10, featureScale: 1f / 16f);
DataSplit split = DataSplit.Stratified(all, trainingFraction: 0.6, validationFraction: 0.2, seed: 42);
AnsiConsole.MarkupLine($"[bold]1. Split[/] {all.Count} digits, every digit in the same proportion in each part: " +
    $"{split.Training.Count} to train on, {split.Validation.Count} to choose with, {split.Test.Count} put away for the end.");
AnsiConsole.WriteLine();

// 2. A network too small for the task: two hidden units must carry everything about ten digits.
AnsiConsole.MarkupLine("[bold]2. Under-fitting[/]");
Diagnose(new BottleneckNet(), "underfit", Options(epochs: 60, validation: split.Validation), split.Training);
AnsiConsole.MarkupLine("The fix for high bias is a larger network:");
Diagnose(new DigitsNet(), "underfit-fixed", Options(epochs: 60, validation: split.Validation), split.Training);
AnsiConsole.WriteLine();

// 3. A large network trained long on a few samples learns them by heart.
AnsiConsole.MarkupLine("[bold]3. Over-fitting[/]");
DataSet few = DataSplit.Stratified(split.Training, 0.1, 0.1, seed: 7).Training;
Diagnose(new WideNet(), "overfit", Options(epochs: 150, validation: split.Validation), few);
LearningCurve bySize = LearningCurve.BySize<WideNet>(split.Training, split.Validation, [50, 100, 200, 400, split.Training.Count],
    () => Options(epochs: 60), EvaluationMetric.Accuracy);
Plots.SaveLearningCurve(bySize, Path.Combine(plots, "overfit-learning-curve.png"), bySize.Diagnose(AcceptableError));
AnsiConsole.MarkupLine("Its learning curve against the training-set size shows the gap closing as data are added: " +
    string.Join(", ", bySize.Points.Select(p => $"{p.X} samples: {p.Validation:P1}")) + " on validation.");
AnsiConsole.MarkupLine("The fix for high variance is more data and regularization (dropout):");
Diagnose(new WideDropoutNet(), "overfit-fixed", Options(epochs: 150, validation: split.Validation, patience: 15), split.Training);
AnsiConsole.WriteLine();

// 4. Random search, each setting scored by 3-fold cross-validation on the training data; the test set stays away.
AnsiConsole.MarkupLine("[bold]4. Choosing hyperparameters[/] by cross-validated random search (12 settings x 3 folds)");
var space = new SearchSpace(p => new TrainingOptions
    {
        Epochs = 40,
        BatchSize = p.Get<int>("BatchSize"),
        LearningRate = p.Get<double>("LearningRate"),
        Optimizer = new Adam(),
        Regularization = p.Get<double>("L2") > 0 ? Regularization.L2((float)p.Get<double>("L2")) : null,
        Seed = 1,
    })
    .AddNetwork<DigitsNet>()
    .AddNetwork<WideDropoutNet>()
    .AddLogUniform("LearningRate", 3e-4, 3e-2)
    .Add("BatchSize", 16, 32, 64)
    .Add("L2", 0.0, 1e-3, 1e-2);
SearchResult search = Run("search", 12, (progress, report) => HyperparameterSearch.RandomCrossValidated(space, 12, split.Training, folds: 3,
    new SearchOptions { Metric = EvaluationMetric.Accuracy, Seed = 3, Progress = new Reporter<SearchTrial>(_ => report(1, "")) }));
AnsiConsole.WriteLine(search.ToTable(rows: 6));
Hyperparameters best = search.Best.Hyperparameters;
AnsiConsole.MarkupLine($"Best: {Markup.Escape(best.ToString())}, cross-validated accuracy {search.Best.Score:P2} ± {search.Best.Spread:P2}.");
AnsiConsole.WriteLine();

// 5. Train the chosen setting on the training data (validation for early stopping), then measure the test set once.
AnsiConsole.MarkupLine("[bold]5. The test set, once[/]");
TrainingOptions chosen = space.Options(best);
(TrainingResult final, EvaluationResult test, string summary) = best.Network == nameof(DigitsNet)
    ? TrainFinal(new DigitsNet(), chosen)
    : TrainFinal(new WideDropoutNet(), chosen);
AnsiConsole.WriteLine(summary);
AnsiConsole.MarkupLine($"Test: accuracy {test.Accuracy:P2}, macro F1 {test.MacroAverage!.Value.F1:P2}, loss {test.Loss:F4} on {test.Count} digits never seen before.");
Plots.SaveTrainingCurves(final, Path.Combine(plots, "final-training.png"));
Plots.SaveConfusionMatrix(test.ConfusionMatrix!, Path.Combine(plots, "test-confusion-matrix.png"));
AnsiConsole.MarkupLine($"Plots written to [link]{Markup.Escape(plots)}[/].");
return test.Accuracy >= 0.95 ? 0 : 1;

(TrainingResult, EvaluationResult, string) TrainFinal<TNetwork>(TNetwork network, TrainingOptions options) where TNetwork : class, INetwork<TNetwork>
{
    // Ctrl-C ends training as early stopping does: the best epoch's parameters are kept and tested.
    using var cancellation = new CancellationTokenSource();
    ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = !cancellation.IsCancellationRequested; cancellation.Cancel(); };
    Console.CancelKeyPress += onCancel;
    try
    {
        var withStopping = new TrainingOptions
        {
            Epochs = 200, BatchSize = options.BatchSize, LearningRate = options.LearningRate, Optimizer = new Adam(), Regularization = options.Regularization,
            Seed = options.Seed, ValidationData = split.Validation, EarlyStopping = new EarlyStopping { Patience = 15 },
        };
        TrainingResult result = Run("final", withStopping.Epochs, (progress, report) =>
            Trainer.Train(network, split.Training, WithProgress(withStopping, report), cancellation.Token));
        return (result, Trainer.Evaluate(network, split.Test), network.Summary());
    }
    finally
    {
        Console.CancelKeyPress -= onCancel;
    }
}

void Diagnose<TNetwork>(TNetwork network, string name, TrainingOptions options, DataSet training) where TNetwork : class, INetwork<TNetwork>
{
    TrainingResult result = Run(typeof(TNetwork).Name, options.Epochs, (progress, report) => Trainer.Train(network, training, WithProgress(options, report)));
    LearningCurve curve = LearningCurve.FromHistory(result, EvaluationMetric.Accuracy);
    Diagnosis diagnosis = curve.Diagnose(AcceptableError);
    Plots.SaveTrainingCurves(result, Path.Combine(plots, name + ".png"));
    EpochReport at = result.Final;
    AnsiConsole.MarkupLine($"  {typeof(TNetwork).Name} ({TNetwork.ParameterCount:N0} parameters, {training.Count} samples): " +
        $"training accuracy {at.Accuracy:P1}, validation {at.ValidationAccuracy:P1} -> [bold]{diagnosis.Kind}[/]");
    AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(diagnosis.Advice)}[/]");
}

TrainingOptions Options(int epochs, DataSet? validation = null, int? patience = null) => new()
{
    Epochs = epochs, BatchSize = 32, LearningRate = 1e-3, Optimizer = new Adam(), Seed = 1, ValidationData = validation,
    EarlyStopping = patience is { } p ? new EarlyStopping { Patience = p } : null,
};

TrainingOptions WithProgress(TrainingOptions options, Action<int, string> report) => new()
{
    Epochs = options.Epochs, BatchSize = options.BatchSize, LearningRate = options.LearningRate, Optimizer = options.Optimizer,
    Regularization = options.Regularization, Seed = options.Seed, ValidationData = options.ValidationData, EarlyStopping = options.EarlyStopping,
    Progress = new Reporter<EpochReport>(r => report(1,
        $"epoch {r.Epoch}: loss {r.Loss:F3}, accuracy {r.Accuracy:P1} | validation {r.ValidationAccuracy:P1}")),
};

// Runs work with a live progress bar on a terminal (the epoch, the figures, the time left), quietly otherwise.
T Run<T>(string label, int steps, Func<ProgressTask?, Action<int, string>, T> work)
{
    if (!interactive)
    {
        return work(null, (_, _) => { });
    }
    T result = default!;
    AnsiConsole.Progress()
        .AutoClear(true)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
        .Start(context =>
        {
            ProgressTask task = context.AddTask(label, maxValue: steps);
            result = work(task, (step, text) =>
            {
                task.Increment(step);
                task.Description = $"{label} {Markup.Escape(text)}";
            });
            task.StopTask();
        });
    return result;
}

/// <summary>Hands each report to an action on the reporting thread, as it comes.</summary>
internal sealed class Reporter<T>(Action<T> action) : IProgress<T>
{
    private readonly Lock _lock = new();

    public void Report(T value)
    {
        lock (_lock)
        {
            action(value);
        }
    }
}

/// <summary>Too small: two hidden units between 64 pixels and 10 digits.</summary>
[Network(Loss = Loss.CrossEntropy)] [Input(64)] [Dense(2, Activation.ReLU)] [Dense(10, Activation.Softmax)]
public partial class BottleneckNet;

/// <summary>Large enough: 64 hidden units.</summary>
[Network(Loss = Loss.CrossEntropy)] [Input(64)] [Dense(64, Activation.ReLU)] [Dense(10, Activation.Softmax)]
public partial class DigitsNet;

/// <summary>Wide: 256 hidden units, which memorize a small training set.</summary>
[Network(Loss = Loss.CrossEntropy)] [Input(64)] [Dense(256, Activation.ReLU)] [Dense(10, Activation.Softmax)]
public partial class WideNet;

/// <summary>The same width with dropout: half the hidden units dropped at each step while training.</summary>
[Network(Loss = Loss.CrossEntropy)] [Input(64)] [Dense(256, Activation.ReLU, Dropout = 0.5f)] [Dense(10, Activation.Softmax)]
public partial class WideDropoutNet;
