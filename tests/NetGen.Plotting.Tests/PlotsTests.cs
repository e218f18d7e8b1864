using System.Buffers.Binary;
using NetGen;
using NetGen.Plotting;

namespace NetGen.Plotting.Tests;

/// <summary>
/// Each plot is written as a PNG of the size asked for. (What they show was checked by eye when they were written;
/// PlotsTests.Folder keeps the files of the last run for a look.)
/// </summary>
public sealed class PlotsTests
{
    /// <summary>Where the plots of the last run are left.</summary>
    private static readonly string Folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "plots")).FullName;

    [Fact]
    public void Training_curves_are_written_at_the_size_asked_with_and_without_accuracy()
    {
        TrainingResult result = TrainMoons(new MoonsNet(), earlyStopping: true, out _);
        string path = Path.Combine(Folder, "training-curves.png");
        Plots.SaveTrainingCurves(result, path, width: 1000, height: 420);
        AssertPng(path, 1000, 420);

        var regression = new DataSet([0f, 1f, 1f, 0f, 0.5f, 0.5f], [0.2f, 0.7f, 0.4f], 2, 1);
        TrainingResult noAccuracy = Trainer.Train(new RegressionNet(), regression, new TrainingOptions { Epochs = 5, BatchSize = 3 });
        string lossOnly = Path.Combine(Folder, "loss-only.png");
        Plots.SaveTrainingCurves(noAccuracy, lossOnly, width: 500, height: 300);
        AssertPng(lossOnly, 500, 300);
    }

    [Fact]
    public void A_decision_boundary_is_drawn_for_a_two_input_network_and_refused_for_others()
    {
        var net = new MoonsNet();
        TrainMoons(net, earlyStopping: false, out DataSet data);
        string path = Path.Combine(Folder, "decision-boundary.png");
        Plots.SaveDecisionBoundary(net, data, path, width: 640, height: 560);
        AssertPng(path, 640, 560);

        var blobs = ThreeBlobs(150, seed: 5);
        var threeClasses = new ThreeClassNet();
        Trainer.Train(threeClasses, blobs, new TrainingOptions { Epochs = 60, BatchSize = 16, LearningRate = 0.02, Optimizer = new Adam(), Seed = 1 });
        string multiclass = Path.Combine(Folder, "decision-boundary-three-classes.png");
        Plots.SaveDecisionBoundary(threeClasses, blobs, multiclass, width: 500, height: 450);
        AssertPng(multiclass, 500, 450);

        var threeInputs = new DataSet([0f, 1f, 2f], [1f], 3, 1);
        var error = Assert.Throws<ArgumentException>(() => Plots.SaveDecisionBoundary(new ThreeInputNet(), threeInputs, Path.Combine(Folder, "never.png")));
        Assert.Contains("takes 3 inputs, not 2", error.Message);
        Assert.False(File.Exists(Path.Combine(Folder, "never.png")));
    }

    [Fact]
    public void The_confusion_matrix_heat_map_is_written_and_checks_its_class_names()
    {
        var matrix = new ConfusionMatrix(3);
        int[,] counts = { { 50, 3, 1 }, { 4, 40, 6 }, { 0, 2, 30 } };
        for (int actual = 0; actual < 3; actual++)
        {
            for (int predicted = 0; predicted < 3; predicted++)
            {
                for (int k = 0; k < counts[actual, predicted]; k++)
                {
                    matrix.Add(actual, predicted);
                }
            }
        }
        string path = Path.Combine(Folder, "confusion-matrix.png");
        Plots.SaveConfusionMatrix(matrix, path, ["cat", "dog", "bird"], width: 600, height: 520);
        AssertPng(path, 600, 520);
        var error = Assert.Throws<ArgumentException>(() => Plots.SaveConfusionMatrix(matrix, path, ["cat", "dog"]));
        Assert.Contains("Expected 3 class names", error.Message);
    }

    [Fact]
    public void A_learning_curve_against_the_training_set_size_is_written()
    {
        (DataSet training, DataSet validation) = TwoMoons(400, seed: 3).Split(0.5, seed: 4);
        LearningCurve curve = LearningCurve.BySize<MoonsNet>(training, validation, [10, 25, 50, 100, 200],
            () => new TrainingOptions { Epochs = 40, BatchSize = 8, LearningRate = 0.02, Optimizer = new Adam(), Seed = 1 }, EvaluationMetric.Accuracy);
        string path = Path.Combine(Folder, "learning-curve.png");
        Plots.SaveLearningCurve(curve, path, curve.Diagnose(acceptableError: 0.05), width: 640, height: 480);
        AssertPng(path, 640, 480);
    }

    [Fact]
    public void A_missing_folder_is_named_and_an_existing_file_is_kept_when_writing_fails()
    {
        var matrix = new ConfusionMatrix(2);
        matrix.Add(0, 0);
        string missing = Path.Combine(Folder, "no-such-folder", "plot.png");
        var error = Assert.Throws<DirectoryNotFoundException>(() => Plots.SaveConfusionMatrix(matrix, missing));
        Assert.Contains(Path.Combine(Folder, "no-such-folder"), error.Message);

        // A write that fails halfway, after the renderer has started writing its file.
        string existing = Path.Combine(Folder, "kept.png");
        File.WriteAllText(existing, "the old picture");
        var failure = Assert.Throws<IOException>(() => Plots.Save(existing, file =>
        {
            File.WriteAllText(file, "half a new pict");
            throw new IOException("disk full");
        }));
        Assert.Equal("disk full", failure.Message);
        Assert.Equal("the old picture", File.ReadAllText(existing));
        Assert.Empty(Directory.GetFiles(Folder, ".*.png"));
    }

    private static void AssertPng(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.True(bytes.Length > 5_000, $"{path} holds only {bytes.Length} bytes: a blank picture?");
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, ".*.png"));
    }

    private static TrainingResult TrainMoons(MoonsNet net, bool earlyStopping, out DataSet data)
    {
        data = TwoMoons(300, seed: 1);
        return Trainer.Train(net, data, new TrainingOptions
        {
            Epochs = 150, BatchSize = 16, LearningRate = 0.02, Optimizer = new Adam(), Seed = 2, ValidationSplit = 0.3,
            EarlyStopping = earlyStopping ? new EarlyStopping { Patience = 10 } : null,
        });
    }

    /// <summary>Three round clusters of points, one per class, as one-hot rows.</summary>
    private static DataSet ThreeBlobs(int count, int seed)
    {
        var random = new DeterministicRandom(seed);
        var features = new float[count * 2];
        var labels = new int[count];
        (float X, float Y)[] centres = [(0f, 0f), (2f, 0.5f), (1f, 2f)];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 3;
            features[2 * i] = centres[labels[i]].X + 0.4f * random.NextGaussian();
            features[2 * i + 1] = centres[labels[i]].Y + 0.4f * random.NextGaussian();
        }
        return new DataSet(features, DataSet.OneHot(labels, 3), 2, 3);
    }

    /// <summary>Two interleaved half circles with noise, the classic data set a straight line cannot split.</summary>
    internal static DataSet TwoMoons(int count, int seed)
    {
        var random = new DeterministicRandom(seed);
        var features = new float[count * 2];
        var targets = new float[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 2;
            float angle = MathF.PI * random.NextSingle();
            features[2 * i] = label == 0 ? MathF.Cos(angle) : 1 - MathF.Cos(angle);
            features[2 * i + 1] = (label == 0 ? MathF.Sin(angle) : 0.5f - MathF.Sin(angle)) + 0.15f * random.NextGaussian();
            features[2 * i] += 0.15f * random.NextGaussian();
            targets[i] = label;
        }
        return new DataSet(features, targets, 2, 1);
    }
}

/// <summary>Two inputs, a hidden layer, one sigmoid output: enough for two moons.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)] [Input(2)] [Dense(16, Activation.Tanh)] [Dense(1, Activation.Sigmoid)] public partial class MoonsNet;

/// <summary>Two inputs, three classes.</summary>
[Network(Loss = Loss.CrossEntropy)] [Input(2)] [Dense(8, Activation.Tanh)] [Dense(3, Activation.Softmax)] public partial class ThreeClassNet;

/// <summary>A regression network, whose history has no accuracy.</summary>
[Network] [Input(2)] [Dense(1, Activation.Identity)] public partial class RegressionNet;

/// <summary>Three inputs: no plane to draw.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)] [Input(3)] [Dense(1, Activation.Sigmoid)] public partial class ThreeInputNet;
