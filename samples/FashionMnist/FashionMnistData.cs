using NetGen;

namespace FashionMnist;

/// <summary>
/// Fashion-MNIST as the samples use it: Debian's dataset-fashion-mnist (MIT licence) read into data sets, and the
/// confusion matrix printed with the class names. Shared by samples/FashionMnist and samples/SequenceClassification.
/// </summary>
internal static class FashionMnistData
{
    /// <summary>Where Debian's package installs the four idx files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    public static readonly string[] Classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// The training and test images (at most <paramref name="trainLimit"/> and <paramref name="testLimit"/>) as rows of
    /// <paramref name="inputSize"/> values in [0, 1] with one-hot labels; null, after saying how to install the data,
    /// when it is not in <paramref name="directory"/>.
    /// </summary>
    public static (DataSet Training, DataSet Test)? Load(string directory, int trainLimit, int testLimit, int inputSize)
    {
        if (!File.Exists(Path.Combine(directory, "train-images-idx3-ubyte.gz")))
        {
            Console.Error.WriteLine($"Fashion-MNIST is not in {directory}. Install it with: sudo apt-get install dataset-fashion-mnist");
            Console.Error.WriteLine("(or give the folder that holds the four idx .gz files with --data <folder>).");
            return null;
        }
        return (Read(directory, "train", trainLimit, inputSize), Read(directory, "t10k", testLimit, inputSize));
    }

    private static DataSet Read(string directory, string prefix, int limit, int inputSize)
    {
        float[] images = IdxFile.ReadImages(Path.Combine(directory, prefix + "-images-idx3-ubyte.gz"), limit, out int count, out int height, out int width);
        int[] labels = IdxFile.ReadLabels(Path.Combine(directory, prefix + "-labels-idx1-ubyte.gz"), limit);
        if (height * width != inputSize || labels.Length != count)
        {
            throw new InvalidDataException($"Expected {inputSize}-pixel images with one label each, got {count} images of {height}x{width} and {labels.Length} labels.");
        }
        return new DataSet(images, DataSet.OneHot(labels, Classes.Length), inputSize, Classes.Length);
    }

    /// <summary>The test accuracy and the confusion matrix, rows the true class and columns the predicted one.</summary>
    public static void Print(EvaluationResult test)
    {
        ConfusionMatrix confusion = test.ConfusionMatrix!;
        Console.WriteLine($"Test accuracy: {test.Accuracy:P2} ({(int)Math.Round(confusion.Accuracy * confusion.Total)} of {confusion.Total}), macro F1 {test.MacroAverage?.F1:P2}.");
        Console.WriteLine();
        Console.WriteLine("Confusion matrix (rows: the true class, columns: the predicted one):");
        Console.WriteLine("             " + string.Concat(Enumerable.Range(0, Classes.Length).Select(c => $"{c,6}")));
        for (int actual = 0; actual < Classes.Length; actual++)
        {
            Console.WriteLine($"{actual} {Classes[actual],-11}" + string.Concat(Enumerable.Range(0, Classes.Length).Select(p => $"{confusion[actual, p],6}")));
        }
    }
}
