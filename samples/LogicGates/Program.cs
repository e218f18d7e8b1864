// The logic gates of the course's first lectures, with NetGen:
// a single perceptron learns NOT, AND and OR, cannot learn XOR, and a network with one hidden layer can.
using LogicGates;
using NetGen;

float[][] inputs = [[0, 0], [0, 1], [1, 0], [1, 1]];
DataSet Gate(params float[] outputs) => DataSet.FromRows(inputs, outputs.Select(o => new[] { o }).ToArray());

Console.WriteLine("1. A single perceptron: y = step(w1 x1 + w2 x2 + b), trained by the perceptron rule");
Console.WriteLine();
TeachPerceptron("AND", Gate(0, 0, 0, 1));
TeachPerceptron("OR", Gate(0, 1, 1, 1));
TeachNot();
bool xorLearned = TeachPerceptron("XOR", Gate(0, 1, 1, 0));
if (!xorLearned)
{
    Console.WriteLine("   No straight line puts (0,1) and (1,0) on one side and (0,0) and (1,1) on the other,");
    Console.WriteLine("   so no single perceptron computes XOR: it needs a hidden layer.");
    Console.WriteLine();
}

Console.WriteLine("2. A hidden layer: 2 inputs -> 4 tanh units -> 1 sigmoid output, full-batch gradient descent on XOR");
Console.WriteLine();
var xor = Gate(0, 1, 1, 0);
var net = new XorNet();
var final = Trainer.Train(net, xor, new TrainingOptions
{
    Epochs = 2000,
    BatchSize = TrainingOptions.FullBatch,
    LearningRate = 2,
    Progress = new MilestonePrinter(),
});
Console.WriteLine();
PrintTable(xor, (x, y) => net.Predict(x, y), showProbability: true);
int right = (int)Math.Round(final.Accuracy!.Value * xor.Count);
Console.WriteLine($"   XOR with a hidden layer: {right} of {xor.Count} rows right.");
return right == xor.Count ? 0 : 1;

static bool TeachPerceptron(string name, DataSet gate)
{
    var perceptron = new TwoInputPerceptron();
    PerceptronResult result = Perceptron.Train(perceptron, gate, maxEpochs: 1000, learningRate: 0.1);
    float w1 = perceptron.Parameters[0], w2 = perceptron.Parameters[1], b = perceptron.Parameters[2];
    if (result.Converged)
    {
        Console.WriteLine($"   {name}: learned in {result.Epochs} epochs, all {gate.Count} rows right.");
        PrintTable(gate, (x, y) => perceptron.Predict(x, y), showProbability: false);
        Console.WriteLine($"   weights w1 = {w1:0.###}, w2 = {w2:0.###}, bias b = {b:0.###}");
        Console.WriteLine($"   separating line w1 x1 + w2 x2 + b = 0: {Line(w1, w2, b)}");
    }
    else
    {
        Console.WriteLine($"   {name}: not learned in {result.Epochs} epochs; the best pass got {result.BestAccuracy:P0} of the rows right.");
    }
    Console.WriteLine();
    return result.Converged;
}

static void TeachNot()
{
    var not = DataSet.FromRows([[0f], [1f]], [[1f], [0f]]);
    var perceptron = new OneInputPerceptron();
    PerceptronResult result = Perceptron.Train(perceptron, not, maxEpochs: 1000, learningRate: 0.1);
    float w = perceptron.Parameters[0], b = perceptron.Parameters[1];
    var output = new float[1];
    Console.WriteLine($"   NOT: y = step(w x + b), {(result.Converged ? $"learned in {result.Epochs} epochs" : "not learned")}.");
    foreach (float x in new[] { 0f, 1f })
    {
        perceptron.Predict([x], output);
        Console.WriteLine($"      x = {x}  ->  {output[0]}");
    }
    string side = w < 0 ? "<=" : ">=";
    Console.WriteLine($"   weight w = {w:0.###}, bias b = {b:0.###}: the output is 1 where w x + b >= 0, that is for x {side} {-b / w + 0f:0.###}");
    Console.WriteLine();
}

static string Line(float w1, float w2, float b)
    => w2 != 0f
        ? $"x2 = {-w1 / w2:0.###} x1 + {-b / w2:0.###}"
        : $"x1 = {-b / w1:0.###}";

static void PrintTable(DataSet gate, Action<ReadOnlySpan<float>, Span<float>> predict, bool showProbability)
{
    var output = new float[1];
    Console.WriteLine(showProbability ? "      x1 x2 | target | output" : "      x1 x2 | target | output");
    for (int s = 0; s < gate.Count; s++)
    {
        var x = gate.GetFeatures(s);
        predict(x, output);
        string shown = showProbability ? $"{output[0]:F3} -> {(output[0] >= 0.5f ? 1 : 0)}" : $"{output[0]}";
        Console.WriteLine($"      {x[0]}  {x[1]}  |   {gate.GetTargets(s)[0]}    | {shown}");
    }
}

/// <summary>Prints the loss and accuracy at a few epochs, to show how XOR is learned.</summary>
internal sealed class MilestonePrinter : IProgress<EpochReport>
{
    public void Report(EpochReport report)
    {
        if (report.Epoch is 1 or 10 or 100 or 500 or 1000 or 2000)
        {
            Console.WriteLine($"   epoch {report.Epoch,5}: loss {report.Loss:F5}, accuracy {report.Accuracy:P0}");
        }
    }
}
