using System.Text.Json;
using NetGen;

namespace NetGen.Tests;

/// <summary>
/// EvaluationResult's metrics against scikit-learn's on Fixtures/metrics.json (written by tests/make_metrics_fixtures.py),
/// and the predictions and the trainer's evaluation that feed them.
/// </summary>
public class MetricsTests
{
    private const double Tolerance = 1e-12;

    private static readonly Lazy<Dictionary<string, JsonElement>> Fixtures = new(() =>
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "metrics.json"));
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone());
    });

    public static TheoryData<string> ClassificationCases => new("binary-sigmoid", "binary-softmax", "multiclass-unbalanced", "multiclass-absent");

    public static TheoryData<string> RegressionCases => new("regression-two", "regression-worse-than-mean", "regression-constant-columns");

    [Theory]
    [MemberData(nameof(ClassificationCases))]
    public void Classification_metrics_match_scikit_learn(string name)
    {
        JsonElement fixture = Fixtures.Value[name];
        EvaluationResult result = FromFixture(fixture);

        Assert.Equal(fixture.GetProperty("accuracy").GetDouble(), result.Accuracy!.Value, 6);
        ConfusionMatrix matrix = result.ConfusionMatrix!;
        int[] confusion = Ints(fixture.GetProperty("confusion"));
        Assert.Equal(confusion.Length, matrix.ClassCount * matrix.ClassCount);
        for (int actual = 0; actual < matrix.ClassCount; actual++)
        {
            for (int predicted = 0; predicted < matrix.ClassCount; predicted++)
            {
                Assert.Equal(confusion[actual * matrix.ClassCount + predicted], matrix[actual, predicted]);
            }
        }
        double[] precision = Doubles(fixture.GetProperty("precision")), recall = Doubles(fixture.GetProperty("recall")), f1 = Doubles(fixture.GetProperty("f1"));
        int[] support = Ints(fixture.GetProperty("support"));
        Assert.Equal(precision.Length, result.PerClass!.Count);
        for (int c = 0; c < precision.Length; c++)
        {
            Assert.Equal(precision[c], result.PerClass[c].Precision, Tolerance);
            Assert.Equal(recall[c], result.PerClass[c].Recall, Tolerance);
            Assert.Equal(f1[c], result.PerClass[c].F1, Tolerance);
            Assert.Equal(support[c], result.PerClass[c].Support);
        }
        AssertAverage(fixture.GetProperty("macro"), result.MacroAverage!.Value);
        AssertAverage(fixture.GetProperty("weighted"), result.WeightedAverage!.Value);
        if (fixture.TryGetProperty("rocAuc", out JsonElement auc))
        {
            Assert.Equal(auc.GetDouble(), result.RocAuc!.Value, Tolerance);
        }
        else
        {
            Assert.Null(result.RocAuc);
        }
        Assert.Null(result.MeanSquaredError);
        Assert.Null(result.RSquared);
    }

    [Theory]
    [MemberData(nameof(RegressionCases))]
    public void Regression_metrics_match_scikit_learn(string name)
    {
        JsonElement fixture = Fixtures.Value[name];
        EvaluationResult result = FromFixture(fixture);

        Assert.Equal(fixture.GetProperty("mse").GetDouble(), result.MeanSquaredError!.Value, Tolerance);
        Assert.Equal(fixture.GetProperty("mae").GetDouble(), result.MeanAbsoluteError!.Value, Tolerance);
        Assert.Equal(fixture.GetProperty("r2").GetDouble(), result.RSquared!.Value, Tolerance);
        Assert.Null(result.Accuracy);
        Assert.Null(result.ConfusionMatrix);
        Assert.Null(result.RocAuc);
    }

    [Fact]
    public void The_fixtures_cover_the_zero_divisions_and_the_ties()
    {
        // Guards the fixtures themselves: a regenerated file that lost these cases would check less than it claims.
        EvaluationResult unbalanced = FromFixture(Fixtures.Value["multiclass-unbalanced"]);
        Assert.Equal(0, unbalanced.ConfusionMatrix!.ForClass(3).Precision);
        Assert.True(unbalanced.PerClass![3].Support > 0);
        EvaluationResult absent = FromFixture(Fixtures.Value["multiclass-absent"]);
        Assert.Equal(0, absent.PerClass![4].Support);
        float[] scores = Floats(Fixtures.Value["binary-sigmoid"].GetProperty("outputs"));
        Assert.True(scores.Distinct().Count() < scores.Length / 2);
    }

    [Fact]
    public void Roc_auc_is_absent_when_one_class_is_missing()
    {
        EvaluationResult result = EvaluationResult.FromOutputs([0.2f, 0.9f, 0.6f], [1f, 1f, 1f], outputSize: 1, loss: 0f);
        Assert.Null(result.RocAuc);
        Assert.Equal(2f / 3f, result.Accuracy!.Value);
    }

    [Fact]
    public void Mismatched_lengths_are_refused_with_the_expected_length()
    {
        var error = Assert.Throws<ArgumentException>(() => EvaluationResult.FromOutputs(new float[5], new float[6], outputSize: 2, loss: 0f));
        Assert.Contains("need 6", error.Message);
        error = Assert.Throws<ArgumentException>(() => EvaluationResult.FromOutputs(new float[5], new float[5], outputSize: 2, loss: 0f));
        Assert.Contains("whole row of 2", error.Message);
    }

    [Fact]
    public void Evaluate_gives_the_loss_and_accuracy_training_reports_and_the_metrics_of_the_predictions()
    {
        var net = new XorNet();
        TrainingResult training = Trainer.Train(net, TrainingTests.Xor, new TrainingOptions { Epochs = 300, BatchSize = TrainingOptions.FullBatch, LearningRate = 2f });
        EvaluationResult result = Trainer.Evaluate(net, TrainingTests.Xor);

        Assert.Equal(training.Final.Loss, result.Loss);
        Assert.Equal(training.Final.Accuracy, result.Accuracy);
        Assert.Equal(TrainingTests.Xor.Count, result.Count);
        var outputs = new float[TrainingTests.Xor.Count];
        net.Predict(TrainingTests.Xor, outputs);
        EvaluationResult expected = EvaluationResult.FromOutputs(outputs, Targets(TrainingTests.Xor), 1, result.Loss);
        Assert.Equal(expected.RocAuc, result.RocAuc);
        Assert.Equal(expected.MacroAverage, result.MacroAverage);
        Assert.Equal(TrainingTests.Xor.Count, result.ConfusionMatrix!.Total);
    }

    [Fact]
    public void Evaluate_on_regression_targets_gives_the_regression_metrics()
    {
        var net = new U1IdentityMse();
        var data = new DataSet([1f, 2f, 3f, -1f, 0.5f, 2f, 0f, 1f, -2f], [0.3f, -1.2f, 2.5f, 0.7f, -0.4f, 1.1f], featureSize: 3, targetSize: 2);
        EvaluationResult result = Trainer.Evaluate(net, data);

        var outputs = new float[6];
        net.Predict(data, outputs);
        double squared = 0;
        for (int i = 0; i < 6; i++)
        {
            squared += Math.Pow((double)outputs[i] - Targets(data)[i], 2);
        }
        Assert.Equal(squared / 6, result.MeanSquaredError!.Value, Tolerance);
        Assert.Null(result.Accuracy);
    }

    [Fact]
    public void PredictClass_takes_the_argmax_or_the_half_threshold_of_one_output()
    {
        var softmax = new U1SoftmaxCe();
        float[] input = [0.3f, -1f, 2f];
        var output = new float[3];
        softmax.Predict(input, output);
        Assert.Equal(Array.IndexOf(output, output.Max()), softmax.PredictClass(input));

        var sigmoid = new XorNet();
        Trainer.Train(sigmoid, TrainingTests.Xor, new TrainingOptions { Epochs = 300, BatchSize = TrainingOptions.FullBatch, LearningRate = 2f });
        int[] classes = new int[4];
        sigmoid.PredictClasses(TrainingTests.Xor, classes);
        Assert.Equal([0, 1, 1, 0], classes);
        for (int s = 0; s < 4; s++)
        {
            Assert.Equal(classes[s], sigmoid.PredictClass(TrainingTests.Xor.GetFeatures(s)));
        }
    }

    [Fact]
    public void ClassLabels_read_a_half_as_class_one_and_the_first_of_equal_maxima()
    {
        Assert.Equal(1, ClassLabels.Of([0.5f]));
        Assert.Equal(0, ClassLabels.Of([0.49999f]));
        Assert.Equal(1, ClassLabels.Of([0.1f, 0.7f, 0.7f]));
    }

    [Fact]
    public void Batch_prediction_writes_each_row_and_refuses_a_short_buffer()
    {
        var net = new U1SoftmaxCe();
        var data = new DataSet([1f, 2f, 3f, -1f, 0.5f, 2f], [1f, 0f, 0f, 0f, 0f, 1f], featureSize: 3, targetSize: 3);
        var outputs = new float[7];
        outputs[6] = 42f;
        net.Predict(data, outputs);
        var row = new float[3];
        net.Predict(data.GetFeatures(1), row);
        Assert.Equal(row, outputs[3..6]);
        Assert.Equal(42f, outputs[6]);
        var error = Assert.Throws<ArgumentException>(() => net.Predict(data, new float[5]));
        Assert.Contains("need 6", error.Message);
    }

    private static EvaluationResult FromFixture(JsonElement fixture)
        => EvaluationResult.FromOutputs(Floats(fixture.GetProperty("outputs")), Floats(fixture.GetProperty("targets")), fixture.GetProperty("outputSize").GetInt32(), loss: 0f);

    private static void AssertAverage(JsonElement expected, ClassMetrics actual)
    {
        double[] values = Doubles(expected);
        Assert.Equal(values[0], actual.Precision, Tolerance);
        Assert.Equal(values[1], actual.Recall, Tolerance);
        Assert.Equal(values[2], actual.F1, Tolerance);
    }

    private static float[] Targets(DataSet data)
    {
        var targets = new float[data.Count * data.TargetSize];
        for (int i = 0; i < data.Count; i++)
        {
            data.GetTargets(i).CopyTo(targets.AsSpan(i * data.TargetSize));
        }
        return targets;
    }

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(v => v.GetInt32()).ToArray();
}
