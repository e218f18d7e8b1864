// A network trained in PyTorch (train.py) and imported with `netgen import digits.onnx --class DigitsCnn
// --namespace PyTorchDigits --out Models`: it predicts the 297 held-out digits (the rows after the first 1,500 of
// data/digits) and compares every probability with what PyTorch computed (pytorch_outputs.csv).
using System.Globalization;
using System.IO.Compression;
using PyTorchDigits;

const int Training = 1500;
const double Tolerance = 1e-5;

string[] digits = ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));
string[] expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "pytorch_outputs.csv"));
var net = new DigitsCnn();
float[] input = new float[DigitsCnn.InputSize];
float[] output = new float[DigitsCnn.OutputSize];
int correct = 0;
double worst = 0;
for (int sample = 0; sample < expected.Length; sample++)
{
    float[] row = Numbers(digits[Training + sample]);
    for (int i = 0; i < input.Length; i++)
    {
        input[i] = row[i] / 16f;
    }
    net.Predict(input, output);
    correct += output.AsSpan().IndexOf(output.AsSpan().ToArray().Max()) == (int)row[^1] ? 1 : 0;
    float[] reference = Numbers(expected[sample]);
    double scale = reference.Max(Math.Abs);
    for (int i = 0; i < output.Length; i++)
    {
        worst = Math.Max(worst, Math.Abs(output[i] - reference[i]) / scale);
    }
}
Console.WriteLine($"{expected.Length} held-out digits: {correct} recognized ({100.0 * correct / expected.Length:F1} %).");
Console.WriteLine($"Largest difference from PyTorch's probabilities: {worst:E1} of the sample's largest ({(worst <= Tolerance ? "within" : "OVER")} {Tolerance:E0}).");
return worst <= Tolerance ? 0 : 1;

static float[] Numbers(string line) => line.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();

static string[] ReadLines(string gzipPath)
{
    using var reader = new StreamReader(new GZipStream(File.OpenRead(gzipPath), CompressionMode.Decompress));
    return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
