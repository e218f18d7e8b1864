using NetGen;

namespace NetGen.Tests;

/// <summary>Stratified splits, cross-validation, hyperparameter search, learning curves and their diagnosis.</summary>
public class SelectionTests
{
    private static TrainingOptions XorTraining(DataSet? validation = null)
        => new() { Epochs = 60, BatchSize = 16, LearningRate = 0.05, Optimizer = new Adam(), Seed = 3, ValidationData = validation };

    [Fact]
    public void A_stratified_split_keeps_the_class_proportions_in_every_part_and_loses_no_sample()
    {
        DataSet data = SelectionData.Unbalanced(200, seed: 1);
        DataSplit split = DataSplit.Stratified(data, 0.6, 0.2, seed: 7);

        Assert.Equal(data.Count, split.Training.Count + split.Validation.Count + split.Test.Count);
        foreach ((DataSet part, double fraction) in new[] { (split.Training, 0.6), (split.Validation, 0.2), (split.Test, 0.2) })
        {
            int[] counts = ClassCounts(part, 3);
            Assert.Equal([120 * fraction, 60 * fraction, 20 * fraction], counts.Select(c => (double)c));
        }
        var features = new[] { split.Training, split.Validation, split.Test }.SelectMany(p => Enumerable.Range(0, p.Count).Select(i => p.GetFeatures(i)[0])).Order();
        Assert.Equal(Enumerable.Range(0, data.Count).Select(i => data.GetFeatures(i)[0]).Order(), features);

        DataSplit again = DataSplit.Stratified(data, 0.6, 0.2, seed: 7);
        Assert.Equal(Column(split.Test), Column(again.Test));
        Assert.NotEqual(Column(split.Test), Column(DataSplit.Stratified(data, 0.6, 0.2, seed: 8).Test));
    }

    [Fact]
    public void A_split_that_leaves_no_test_set_is_refused_with_the_largest_fraction_allowed()
    {
        DataSet data = SelectionData.Unbalanced(50, seed: 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Stratified(data, 0.7, 0.3, seed: 0));
        Assert.Contains("less than 0.3", error.Message);
    }

    [Fact]
    public void Cross_validation_folds_are_stratified_disjoint_and_cover_the_data()
    {
        DataSet data = SelectionData.Unbalanced(100, seed: 2);
        int[][] folds = Stratification.Folds(data, 5, seed: 4);
        Assert.Equal(Enumerable.Range(0, 100), folds.SelectMany(f => f).Order());
        foreach (int[] fold in folds)
        {
            Assert.Equal([12, 6, 2], ClassCounts(data.Subset(fold), 3));
        }
    }

    [Fact]
    public void Cross_validation_is_bitwise_reproducible_whatever_the_parallelism_and_summarizes_each_fold()
    {
        DataSet data = SelectionData.NoisyXor(120, seed: 5);
        CrossValidationResult first = CrossValidation.Run<HiddenTwoInputNet>(data, folds: 4, () => XorTraining(), seed: 9, maxParallelFolds: 1);
        CrossValidationResult second = CrossValidation.Run<HiddenTwoInputNet>(data, folds: 4, () => XorTraining(), seed: 9, maxParallelFolds: 4);

        Assert.Equal(4, first.Folds.Count);
        for (int f = 0; f < 4; f++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(first.Folds[f].Validation.Loss), BitConverter.SingleToInt32Bits(second.Folds[f].Validation.Loss));
            Assert.Equal(first.Folds[f].Training.History.Select(h => h.Loss), second.Folds[f].Training.History.Select(h => h.Loss));
            Assert.Equal(90, first.Folds[f].TrainingCount);
            Assert.Equal(30, first.Folds[f].Validation.Count);
        }
        // Each fold is what a fresh network, initialized from the fold's seed, gives when trained by hand on the other folds.
        int[][] folds = Stratification.Folds(data, 4, seed: 9);
        for (int f = 0; f < 4; f++)
        {
            var fresh = new HiddenTwoInputNet();
            fresh.InitializeParameters(Stratification.Derive(XorTraining().Seed, f));
            Trainer.Train(fresh, data.Subset(Stratification.AllBut(folds, f)), XorTraining());
            Assert.Equal(Trainer.Evaluate(fresh, data.Subset(folds[f])).Loss, first.Folds[f].Validation.Loss);
        }
        double[] losses = [.. first.Folds.Select(f => (double)f.Validation.Loss)];
        Assert.Equal(losses.Average(), first.Loss.Mean, 12);
        Assert.Equal(Math.Sqrt(losses.Select(l => (l - losses.Average()) * (l - losses.Average())).Average()), first.Loss.StandardDeviation, 12);
        Assert.True(first.Summarize(EvaluationMetric.Accuracy).Mean > 0.9);
    }

    [Fact]
    public void Grid_search_finds_the_planted_best_network_and_learning_rate_and_sorts_by_the_validation_metric()
    {
        DataSet training = SelectionData.NoisyXor(160, seed: 11), validation = SelectionData.NoisyXor(80, seed: 12);
        var space = new SearchSpace(p => new TrainingOptions { Epochs = 60, BatchSize = 16, LearningRate = p.Get<double>("LearningRate"), Optimizer = new Adam(), Seed = 3 })
            .AddNetwork<LinearTwoInputNet>()
            .AddNetwork<HiddenTwoInputNet>()
            .Add("LearningRate", 1e-5, 0.05);
        SearchResult result = HyperparameterSearch.Grid(space, training, validation, new SearchOptions { Metric = EvaluationMetric.Accuracy, MaxParallelTrials = 2 });

        Assert.Equal(4, result.Trials.Count);
        Assert.Equal(nameof(HiddenTwoInputNet), result.Best.Hyperparameters.Network);
        Assert.Equal(0.05, result.Best.Hyperparameters.Get<double>("LearningRate"));
        Assert.True(result.Best.Score > 0.9, result.ToTable());
        Assert.Equal(result.Trials.Select(t => t.Score).OrderDescending(), result.Trials.Select(t => t.Score));
        Assert.All(result.Trials, t => Assert.Equal(validation.Count, t.Validation!.Count));
        Assert.StartsWith("#  Accuracy", result.ToTable());
    }

    [Fact]
    public void Random_cross_validated_search_finds_the_planted_best_setting_reproducibly()
    {
        DataSet training = SelectionData.NoisyXor(120, seed: 13);
        var space = new SearchSpace(p => new TrainingOptions { Epochs = p.Get<int>("Epochs"), BatchSize = 16, LearningRate = p.Get<double>("LearningRate"), Optimizer = new Adam(), Seed = 3 })
            .AddNetwork<HiddenTwoInputNet>()
            .Add("Epochs", 1, 2, 60)
            .AddLogUniform("LearningRate", 0.01, 0.05);
        var options = new SearchOptions { Metric = EvaluationMetric.Loss, Seed = 5 };
        SearchResult result = HyperparameterSearch.RandomCrossValidated(space, trials: 8, training, folds: 3, options);

        Assert.Equal(60, result.Best.Hyperparameters.Get<int>("Epochs"));
        Assert.Equal(3, result.Best.CrossValidation!.Folds.Count);
        Assert.True(result.Best.Spread > 0);
        Assert.All(result.Trials, t => Assert.InRange(t.Hyperparameters.Get<double>("LearningRate"), 0.01, 0.05));
        Assert.Equal(result.Trials.Select(t => t.Score).Order(), result.Trials.Select(t => t.Score));
        SearchResult again = HyperparameterSearch.RandomCrossValidated(space, trials: 8, training, folds: 3, options);
        Assert.Equal(result.Trials.Select(t => (t.Index, t.Score)), again.Trials.Select(t => (t.Index, t.Score)));
    }

    [Fact]
    public void A_trial_that_diverges_is_reported_as_failed_and_sorted_last()
    {
        var data = new DataSet([1f, 2f, 3f, -1f, 0.5f, 2f, 0f, 1f, -2f, 3f, 3f, 3f], [0.3f, -1.2f, 2.5f, 0.7f, -0.4f, 1.1f, 5f, 6f], featureSize: 3, targetSize: 2);
        var space = new SearchSpace(p => new TrainingOptions { Epochs = 20, BatchSize = 4, LearningRate = p.Get<double>("LearningRate") })
            .AddNetwork<U1IdentityMse>()
            .Add("LearningRate", 1e12, 0.01);
        SearchResult result = HyperparameterSearch.Grid(space, data, data);

        Assert.Equal(0.01, result.Best.Hyperparameters.Get<double>("LearningRate"));
        Assert.NotNull(result.Trials[1].Error);
        Assert.True(double.IsNaN(result.Trials[1].Score));
    }

    [Fact]
    public void A_grid_over_a_continuous_range_is_refused_with_what_to_do_instead()
    {
        var space = new SearchSpace(_ => new TrainingOptions()).AddNetwork<XorNet>().AddLogUniform("LearningRate", 1e-3, 1);
        var error = Assert.Throws<InvalidOperationException>(() => HyperparameterSearch.Grid(space, TrainingTests.Xor, TrainingTests.Xor));
        Assert.Contains("random search", error.Message);
        var missing = Assert.Throws<KeyNotFoundException>(() => HyperparameterSearch.Random(
            new SearchSpace(p => new TrainingOptions { BatchSize = p.Get<int>("Batch") }).AddNetwork<XorNet>().Add("BatchSize", 2), 1, TrainingTests.Xor, TrainingTests.Xor));
        Assert.Contains("it has: BatchSize", missing.Message);
    }

    [Fact]
    public void A_linear_network_on_XOR_is_diagnosed_with_high_bias()
    {
        DataSet training = SelectionData.NoisyXor(200, seed: 21), validation = SelectionData.NoisyXor(100, seed: 22);
        var net = new LinearTwoInputNet();
        TrainingResult result = Trainer.Train(net, training, XorTraining(validation));
        Diagnosis diagnosis = LearningCurve.FromHistory(result, EvaluationMetric.Accuracy).Diagnose(acceptableError: 0.05);

        Assert.Equal(FitDiagnosis.HighBias, diagnosis.Kind);
        Assert.Contains("larger network", diagnosis.Advice);
    }

    [Fact]
    public void A_wide_network_on_few_random_labels_is_diagnosed_with_high_variance()
    {
        DataSet training = SelectionData.RandomLabels(40, seed: 23), validation = SelectionData.RandomLabels(200, seed: 24);
        var net = new WideTwentyInputNet();
        TrainingResult result = Trainer.Train(net, training, new TrainingOptions { Epochs = 200, BatchSize = 8, LearningRate = 0.01, Optimizer = new Adam(), Seed = 1, ValidationData = validation });
        Diagnosis diagnosis = LearningCurve.FromHistory(result, EvaluationMetric.Accuracy).Diagnose(acceptableError: 0.05);

        Assert.Equal(FitDiagnosis.HighVariance, diagnosis.Kind);
        Assert.Equal(0, diagnosis.TrainingError);
        Assert.Contains("regularization", diagnosis.Advice);
    }

    [Fact]
    public void A_hidden_layer_on_XOR_is_diagnosed_fine()
    {
        DataSet training = SelectionData.NoisyXor(200, seed: 21), validation = SelectionData.NoisyXor(100, seed: 22);
        var net = new HiddenTwoInputNet();
        TrainingResult result = Trainer.Train(net, training, XorTraining(validation));
        Diagnosis diagnosis = LearningCurve.FromHistory(result, EvaluationMetric.Accuracy).Diagnose(acceptableError: 0.05);

        Assert.Equal(FitDiagnosis.Fine, diagnosis.Kind);
    }

    [Fact]
    public void The_curve_against_training_set_size_closes_the_gap_as_the_data_grow()
    {
        DataSet training = SelectionData.SeparableBlobs(300, seed: 31), validation = SelectionData.SeparableBlobs(200, seed: 32);
        static TrainingOptions options() => new() { Epochs = 30, BatchSize = 8, LearningRate = 0.05, Optimizer = new Adam(), Seed = 2 };
        LearningCurve curve = LearningCurve.BySize<LinearTwoInputNet>(training, validation, [300, 4, 20], options);

        Assert.Equal(LearningCurveAxis.TrainingSamples, curve.Axis);
        Assert.Equal([4.0, 20.0, 300.0], curve.Points.Select(p => p.X));
        Assert.True(curve.Points[0].Validation - curve.Points[0].Training > curve.Points[2].Validation - curve.Points[2].Training);
        Assert.Equal(FitDiagnosis.Fine, curve.Diagnose(acceptableError: 0.1).Kind);
        LearningCurve again = LearningCurve.BySize<LinearTwoInputNet>(training, validation, [4, 20, 300], options, maxParallel: 1);
        Assert.Equal(curve.Points, again.Points);
    }

    [Fact]
    public void The_epoch_curve_marks_the_early_stopping_epoch_and_diagnoses_there()
    {
        DataSet training = SelectionData.RandomLabels(40, seed: 23), validation = SelectionData.RandomLabels(100, seed: 24);
        TrainingResult result = Trainer.Train(new WideTwentyInputNet(), training, new TrainingOptions
        {
            Epochs = 200, BatchSize = 8, LearningRate = 0.01, Optimizer = new Adam(), Seed = 1, ValidationData = validation,
            EarlyStopping = new EarlyStopping { Patience = 5 },
        });
        LearningCurve curve = LearningCurve.FromHistory(result);

        Assert.True(result.StoppedEarly);
        Assert.Equal(result.BestEpoch, curve.Marked);
        Diagnosis diagnosis = curve.Diagnose(acceptableError: 10);
        Assert.Equal(result.History[result.BestEpoch - 1].Loss, diagnosis.TrainingError, 6);
    }

    [Fact]
    public void An_optimizer_shared_between_trainings_is_refused_with_how_to_make_one_each()
    {
        var shared = new Adam();
        var error = Assert.Throws<InvalidOperationException>(() => CrossValidation.Run<HiddenTwoInputNet>(
            SelectionData.NoisyXor(40, seed: 1), folds: 2, () => new TrainingOptions { Epochs = 1, Optimizer = shared }, maxParallelFolds: 1));
        Assert.Contains("create it inside the factory", error.Message);
    }

    [Fact]
    public void Diagnosis_follows_the_course_rules()
    {
        Assert.Equal(FitDiagnosis.HighBias, Diagnosis.Of(0.15, 0.16, acceptableError: 0.05).Kind);
        Assert.Equal(FitDiagnosis.HighVariance, Diagnosis.Of(0.01, 0.11, acceptableError: 0.05).Kind);
        Assert.Equal(FitDiagnosis.HighBiasAndHighVariance, Diagnosis.Of(0.15, 0.30, acceptableError: 0.05).Kind);
        Assert.Equal(FitDiagnosis.Fine, Diagnosis.Of(0.03, 0.05, acceptableError: 0.05).Kind);
        Assert.Equal(FitDiagnosis.Fine, Diagnosis.Of(0.01, 0.11, acceptableError: 0.05, gapTolerance: 0.2).Kind);
    }

    private static int[] ClassCounts(DataSet data, int classes)
    {
        var counts = new int[classes];
        for (int i = 0; i < data.Count; i++)
        {
            counts[ClassLabels.Of(data.GetTargets(i))]++;
        }
        return counts;
    }

    private static float[] Column(DataSet data) => [.. Enumerable.Range(0, data.Count).Select(i => data.GetFeatures(i)[0])];
}
