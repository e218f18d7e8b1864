using System.Globalization;
using ScottPlot;

namespace NetGen.Plotting;

/// <summary>
/// PNG pictures of what training did and how a network does: loss and accuracy curves, learning curves, a confusion
/// matrix as a heat map, and the decision boundary of a two-input network. Each is written atomically (to a temporary
/// file first), so a failed write leaves an existing file as it was.
/// </summary>
public static class Plots
{
    private static readonly Color TrainingColor = new(0x1f, 0x77, 0xb4);
    private static readonly Color ValidationColor = new(0xff, 0x7f, 0x0e);
    private static readonly Color MarkColor = new(0x55, 0x55, 0x55);
    private static readonly ScottPlot.Palettes.Category10 ClassColors = new();

    /// <summary>
    /// The loss (left) and, where the targets are labels, the accuracy (right) of the training and validation data by
    /// epoch, with the early-stopping epoch marked by a dashed line.
    /// </summary>
    /// <param name="result">What training did.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    /// <exception cref="ArgumentException">Training ran no epoch.</exception>
    /// <exception cref="DirectoryNotFoundException">The file's folder does not exist.</exception>
    public static void SaveTrainingCurves(TrainingResult result, string path, int width = 1000, int height = 420)
    {
        ArgumentNullException.ThrowIfNull(result);
        CheckSize(width, height);
        LearningCurve loss = LearningCurve.FromHistory(result, EvaluationMetric.Loss);
        bool hasAccuracy = result.History.All(r => r.Accuracy is not null);
        var multiplot = new Multiplot();
        multiplot.AddPlots(hasAccuracy ? 2 : 1);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        DrawCurve(multiplot.GetPlot(0), loss, "Loss");
        if (hasAccuracy)
        {
            DrawCurve(multiplot.GetPlot(1), LearningCurve.FromHistory(result, EvaluationMetric.Accuracy), "Accuracy");
        }
        Save(path, file => multiplot.SavePng(file, width, height));
    }

    /// <summary>
    /// A learning curve: the metric on the training and validation data against the epoch or the training-set size,
    /// with the diagnosis it supports in the title when <paramref name="diagnosis"/> is given.
    /// </summary>
    /// <param name="curve">The curve.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="diagnosis">A diagnosis to name in the title; none when null.</param>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    /// <exception cref="DirectoryNotFoundException">The file's folder does not exist.</exception>
    public static void SaveLearningCurve(LearningCurve curve, string path, Diagnosis? diagnosis = null, int width = 640, int height = 480)
    {
        ArgumentNullException.ThrowIfNull(curve);
        CheckSize(width, height);
        var plot = new Plot();
        string title = curve.Axis == LearningCurveAxis.Epoch ? $"{curve.Metric} by epoch" : $"{curve.Metric} by training-set size";
        DrawCurve(plot, curve, diagnosis is null ? title : $"{title}: {Words(diagnosis.Kind)}");
        Save(path, file => plot.SavePng(file, width, height));
    }

    /// <summary>The confusion matrix as a heat map: true classes down, predicted classes across, each cell's count written in it.</summary>
    /// <param name="matrix">The counts.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="classNames">The names of the classes; their indices when null.</param>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    /// <exception cref="ArgumentException">The names are not one per class.</exception>
    /// <exception cref="DirectoryNotFoundException">The file's folder does not exist.</exception>
    public static void SaveConfusionMatrix(ConfusionMatrix matrix, string path, IReadOnlyList<string>? classNames = null, int width = 640, int height = 560)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        CheckSize(width, height);
        int classes = matrix.ClassCount;
        if (classNames is not null && classNames.Count != classes)
        {
            throw new ArgumentException($"Expected {classes} class names, one per class; got {classNames.Count}.", nameof(classNames));
        }
        string[] names = [.. Enumerable.Range(0, classes).Select(c => classNames?[c] ?? c.ToString(CultureInfo.InvariantCulture))];
        var counts = new double[classes, classes];
        int largest = 0;
        for (int actual = 0; actual < classes; actual++)
        {
            for (int predicted = 0; predicted < classes; predicted++)
            {
                counts[actual, predicted] = matrix[actual, predicted];
                largest = Math.Max(largest, matrix[actual, predicted]);
            }
        }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(counts);
        heatmap.Colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues()); // the more, the darker
        // Cell centres at whole coordinates: column c at x = c, row r (true class r) at y = classes - 1 - r, so class 0 is on top.
        heatmap.Position = new CoordinateRect(0, classes - 1, 0, classes - 1);
        plot.Add.ColorBar(heatmap);
        for (int actual = 0; actual < classes; actual++)
        {
            for (int predicted = 0; predicted < classes; predicted++)
            {
                int count = matrix[actual, predicted];
                var label = plot.Add.Text(count.ToString(CultureInfo.InvariantCulture), predicted, classes - 1 - actual);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = classes > 12 ? 9 : 14;
                label.LabelFontColor = count > largest / 2 ? Colors.White : Colors.Black;
            }
        }
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, classes).Select(c => (double)c)], names);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, classes).Select(c => (double)(classes - 1 - c))], names);
        plot.Axes.SetLimits(-0.5, classes - 0.5, -0.5, classes - 0.5);
        plot.XLabel("Predicted class");
        plot.YLabel("True class");
        plot.Title($"Confusion matrix: {matrix.Accuracy.ToString("P1", CultureInfo.InvariantCulture)} of {matrix.Total} right");
        Save(path, file => plot.SavePng(file, width, height));
    }

    /// <summary>
    /// What a two-input network predicts across the plane around <paramref name="data"/> (the probability of class 1 for
    /// one output, the predicted class for several), with the samples drawn on top in their true class's colour.
    /// </summary>
    /// <param name="network">A network with two inputs.</param>
    /// <param name="data">The samples to draw; the plane shown is theirs, with a margin.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="resolution">How many cells the plane is cut into along each axis.</param>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    /// <exception cref="ArgumentException">The network does not take two inputs, or the data do not fit it.</exception>
    /// <exception cref="DirectoryNotFoundException">The file's folder does not exist.</exception>
    public static void SaveDecisionBoundary<TNetwork>(TNetwork network, DataSet data, string path, int resolution = 120, int width = 640, int height = 560)
        where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        CheckSize(width, height);
        if (TNetwork.InputSize != 2)
        {
            throw new ArgumentException($"A decision boundary is drawn in the plane: {typeof(TNetwork).Name} takes {TNetwork.InputSize} inputs, not 2.", nameof(network));
        }
        if (data.FeatureSize != 2 || data.TargetSize != TNetwork.OutputSize)
        {
            throw new ArgumentException($"{typeof(TNetwork).Name} takes 2 features and {TNetwork.OutputSize} targets; the data set has {data.FeatureSize} and {data.TargetSize}.", nameof(data));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(resolution, 2);
        (double xMin, double xMax) = Bounds(data, 0);
        (double yMin, double yMax) = Bounds(data, 1);
        var values = new double[resolution, resolution];
        Span<float> input = stackalloc float[2];
        var output = new float[TNetwork.OutputSize];
        bool probability = TNetwork.OutputSize == 1;
        for (int row = 0; row < resolution; row++)
        {
            input[1] = (float)(yMax - (yMax - yMin) * row / (resolution - 1)); // row 0 is drawn on top
            for (int column = 0; column < resolution; column++)
            {
                input[0] = (float)(xMin + (xMax - xMin) * column / (resolution - 1));
                network.Predict(input, output);
                values[row, column] = probability ? output[0] : ClassLabels.Of(output);
            }
        }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Position = new CoordinateRect(xMin, xMax, yMin, yMax);
        int classes = ClassLabels.Count(TNetwork.OutputSize);
        // One output: the probability, blue (class 0) through white to red (class 1). Several: each class's region in its points' colour.
        heatmap.Colormap = probability
            ? new ScottPlot.Colormaps.Balance()
            : new ScottPlot.Colormaps.Custom([.. Enumerable.Range(0, classes).Select(ClassColors.GetColor)], false);
        heatmap.ManualRange = probability ? new ScottPlot.Range(0, 1) : new ScottPlot.Range(0, classes - 1); // the palette maps 0, 1/(k-1)... to its colours in turn
        heatmap.Opacity = 0.55;
        if (probability)
        {
            plot.Add.ColorBar(heatmap).Label = "P(class 1)"; // several classes need no bar: the legend names their colours
        }
        for (int c = 0; c < classes; c++)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < data.Count; i++)
            {
                if (ClassLabels.Of(data.GetTargets(i)) == c)
                {
                    xs.Add(data.GetFeatures(i)[0]);
                    ys.Add(data.GetFeatures(i)[1]);
                }
            }
            Color color = probability ? ClassColors.GetColor(c) : ClassColors.GetColor(c).Darken(0.3);
            var markers = plot.Add.Markers(xs.ToArray(), ys.ToArray(), MarkerShape.FilledCircle, 6, color);
            markers.MarkerLineColor = Colors.White;
            markers.MarkerLineWidth = 1;
            markers.LegendText = $"class {c}";
        }
        plot.ShowLegend();
        plot.Axes.SetLimits(xMin, xMax, yMin, yMax);
        plot.XLabel("input 0");
        plot.YLabel("input 1");
        plot.Title($"Decision boundary of {typeof(TNetwork).Name}");
        Save(path, file => plot.SavePng(file, width, height));
    }

    private static void DrawCurve(Plot plot, LearningCurve curve, string title)
    {
        double[] xs = [.. curve.Points.Select(p => p.X)];
        var training = plot.Add.Scatter(xs, [.. curve.Points.Select(p => p.Training)], TrainingColor);
        training.LegendText = "training";
        training.MarkerSize = xs.Length > 40 ? 0 : 5;
        training.LineWidth = 2;
        if (curve.Points.All(p => p.Validation is not null))
        {
            var validation = plot.Add.Scatter(xs, [.. curve.Points.Select(p => p.Validation!.Value)], ValidationColor);
            validation.LegendText = "validation";
            validation.MarkerSize = training.MarkerSize;
            validation.LineWidth = 2;
        }
        if (curve.Marked is { } marked)
        {
            var line = plot.Add.VerticalLine(marked, 1.5f, MarkColor);
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = $"early stopping: epoch {marked.ToString(CultureInfo.InvariantCulture)}";
        }
        plot.ShowLegend(curve.Metric == EvaluationMetric.Loss || !EvaluationMetrics.HigherIsBetter(curve.Metric) ? Alignment.UpperRight : Alignment.LowerRight);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel(curve.Axis == LearningCurveAxis.Epoch ? "Epoch" : "Training samples");
        plot.YLabel(curve.Metric.ToString());
        plot.Title(title);
    }

    private static string Words(FitDiagnosis kind) => kind switch
    {
        FitDiagnosis.HighBias => "high bias",
        FitDiagnosis.HighVariance => "high variance",
        FitDiagnosis.HighBiasAndHighVariance => "high bias and variance",
        _ => "fine",
    };

    private static (double Min, double Max) Bounds(DataSet data, int feature)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int i = 0; i < data.Count; i++)
        {
            min = Math.Min(min, data.GetFeatures(i)[feature]);
            max = Math.Max(max, data.GetFeatures(i)[feature]);
        }
        double margin = Math.Max((max - min) * 0.1, 0.5);
        return (min - margin, max + margin);
    }

    private static void CheckSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 100);
    }

    /// <summary>Writes through <paramref name="write"/> to a temporary file beside <paramref name="path"/>, then moves it into place.</summary>
    internal static void Save(string path, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot write the plot {full}: the folder {folder} does not exist.");
        }
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.png");
        try
        {
            write(temporary);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
