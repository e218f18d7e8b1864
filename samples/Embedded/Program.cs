// A NetGen network inside a NativeAOT executable: the same generated code as under the JIT, no reflection, no
// runtime to install. Until weights can be compiled in by the generator, the app trains its XOR network at startup,
// saves it with NetworkFile, loads it back and predicts. See README.md for the commands and the measured figures.
//
//   Embedded                  train (with a checkpoint halfway), save, load, predict; exit code 0 when XOR is learned
//   Embedded --save PATH      the same, keeping the weights file at PATH
//   Embedded load PATH        the deployed case: load a weights file and predict, no training
//   Embedded bench [N]        N predictions of an MNIST-sized network (SIMD loops), to compare instruction sets
//
// Set NETGEN_LAUNCH_NS to the launch time in Unix nanoseconds (NETGEN_LAUNCH_NS=$(date +%s%N) ./Embedded) to also
// get the time from launch, runtime start-up included, to the first prediction.
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Embedded;
using NetGen;

long mainStarted = Stopwatch.GetTimestamp();
string runtime = System.Runtime.JitInfo.GetCompiledMethodCount() > 0 ? "JIT" : "NativeAOT"; // NativeAOT compiles nothing at run time

return args switch
{
    [] => Demo(null),
    ["--save", string path] => Demo(path),
    ["load", string path] => LoadAndPredict(path),
    ["bench"] => Bench(200_000),
    ["bench", string n] when int.TryParse(n, out int count) && count > 0 => Bench(count),
    _ => Usage(),
};

int Demo(string? savePath)
{
    DataSet xor = DataSet.FromRows([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]);
    string directory = Directory.CreateTempSubdirectory("netgen-embedded-").FullName;
    try
    {
        // Train 1000 epochs, checkpoint, then resume in fresh objects for 1000 more, as a restarted process would.
        long started = Stopwatch.GetTimestamp();
        var first = new XorNet();
        var firstOptimizer = new Sgd();
        new Trainer<XorNet>(first, Options(firstOptimizer)).Train(xor);
        double trainingMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        started = Stopwatch.GetTimestamp();
        string checkpoint = Path.Combine(directory, "xor.ngc");
        NetworkFile.SaveCheckpoint(first, firstOptimizer, checkpoint);
        var trained = new XorNet();
        var optimizer = new Sgd();
        NetworkFile.LoadCheckpoint(trained, optimizer, checkpoint);
        double checkpointMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        started = Stopwatch.GetTimestamp();
        TrainingResult report = new Trainer<XorNet>(trained, Options(optimizer)).Train(xor);
        trainingMs += Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Console.WriteLine($"[{runtime}] trained XOR: 2 x 1000 epochs ({optimizer.StepCount} steps) in {trainingMs:F2} ms, loss {report.Loss:F5}; " +
                          $"checkpoint after 1000 saved and resumed in {checkpointMs:F2} ms");

        // Save the weights, load them into a new instance, predict.
        string weights = savePath ?? Path.Combine(directory, "xor.ngw");
        long persistenceStarted = Stopwatch.GetTimestamp();
        NetworkFile.Save(trained, weights);
        var net = new XorNet();
        NetworkFile.Load(net, weights);
        double persistenceMs = Stopwatch.GetElapsedTime(persistenceStarted).TotalMilliseconds;
        bool identical = MemoryMarshal.AsBytes(trained.Parameters.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(net.Parameters.AsSpan()));
        Console.WriteLine($"[{runtime}] weights saved (atomically, flushed to disk) and loaded: {new FileInfo(weights).Length} bytes in {persistenceMs:F2} ms; " +
                          $"parameters bitwise identical: {identical}");

        int right = PredictAll(net, xor, out FirstPrediction firstPrediction);
        Report(firstPrediction);
        Console.WriteLine($"XOR: {right} of {xor.Count} rows right");
        return right == xor.Count && identical ? 0 : 1;
    }
    finally
    {
        Directory.Delete(directory, recursive: true);
    }
}

static TrainingOptions Options(Optimizer optimizer) => new()
{
    Epochs = 1000,
    BatchSize = TrainingOptions.FullBatch,
    LearningRate = 2,
    Optimizer = optimizer,
};

int LoadAndPredict(string path)
{
    var net = new XorNet();
    try
    {
        NetworkFile.Load(net, path);
    }
    catch (Exception e) when (e is NetworkFileException or IOException)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }
    DataSet xor = DataSet.FromRows([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]);
    int right = PredictAll(net, xor, out FirstPrediction firstPrediction);
    Report(firstPrediction);
    Console.WriteLine($"XOR: {right} of {xor.Count} rows right");
    return right == xor.Count ? 0 : 1;
}

int PredictAll(XorNet net, DataSet data, out FirstPrediction first)
{
    var output = new float[XorNet.OutputSize];
    first = default;
    int right = 0;
    for (int s = 0; s < data.Count; s++)
    {
        net.Predict(data.GetFeatures(s), output);
        if (s == 0)
        {
            first = new FirstPrediction(Stopwatch.GetTimestamp(), UnixNanoseconds());
        }
        ReadOnlySpan<float> x = data.GetFeatures(s);
        bool correct = DataSet.IsCorrect(output, data.GetTargets(s));
        right += correct ? 1 : 0;
        Console.WriteLine($"  {x[0]} xor {x[1]} -> {output[0]:F3} ({(output[0] >= 0.5f ? 1 : 0)}){(correct ? "" : "  wrong")}");
    }
    return right;
}

void Report(FirstPrediction first)
{
    string line = $"[{runtime}] first prediction {Stopwatch.GetElapsedTime(mainStarted, first.Timestamp).TotalMilliseconds:F2} ms after Main";
    if (long.TryParse(Environment.GetEnvironmentVariable("NETGEN_LAUNCH_NS"), out long launched))
    {
        line += $", {(first.UnixNanoseconds - launched) / 1e6:F2} ms after launch (NETGEN_LAUNCH_NS)";
    }
    Console.WriteLine(line);
}

static long UnixNanoseconds() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

int Bench(int count)
{
    var net = new DigitsNet();
    var random = new DeterministicRandom(1);
    var input = new float[DigitsNet.InputSize];
    for (int i = 0; i < input.Length; i++)
    {
        input[i] = random.NextSingle();
    }
    // The same predictions through the network's Predict and through a Predictor, which packs the first layer's
    // weights once so that each block of 8 units reads them as one stream: the same outputs, bit for bit.
    var predictor = new Predictor<DigitsNet>(net);
    var (predictMedian, predictBest, predictSum) = TimePredictions(count, input, net.Predict);
    var (predictorMedian, predictorBest, predictorSum) = TimePredictions(count, input, predictor.Predict);
    Console.WriteLine($"[{runtime}] DigitsNet 784 -> 128 ReLU -> 10 softmax, 7 x {Math.Max(1, count / 7)} predictions: " +
                      $"Predict median {predictMedian:F0} ns, best {predictBest:F0} ns; Predictor median {predictorMedian:F0} ns, best {predictorBest:F0} ns " +
                      $"(hardware-accelerated: Vector512 {Vector512.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, " +
                      $"Vector128 {Vector128.IsHardwareAccelerated}; checksums {predictSum:G6}, {predictorSum:G6})");
    return predictSum == predictorSum ? 0 : 1;
}

static (double Median, double Best, float Checksum) TimePredictions(int count, float[] input, PredictionStep predict)
{
    var output = new float[DigitsNet.OutputSize];
    float sink = 0f;
    for (int i = 0; i < 2_000; i++)
    {
        predict(input, output);
    }
    const int rounds = 7;
    var nanoseconds = new double[rounds];
    int perRound = Math.Max(1, count / rounds);
    for (int r = 0; r < rounds; r++)
    {
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < perRound; i++)
        {
            input[0] = i & 1;
            predict(input, output);
            sink += output[0];
        }
        nanoseconds[r] = Stopwatch.GetElapsedTime(started).TotalNanoseconds / perRound;
    }
    Array.Sort(nanoseconds);
    return (nanoseconds[rounds / 2], nanoseconds[0], sink);
}

static int Usage()
{
    Console.Error.WriteLine("usage: Embedded [--save PATH] | Embedded load PATH | Embedded bench [N]");
    return 64;
}

/// <summary>When the first prediction was made: a Stopwatch timestamp, and Unix time in nanoseconds.</summary>
internal readonly record struct FirstPrediction(long Timestamp, long UnixNanoseconds);

/// <summary>One prediction of DigitsNet: its Predict or a Predictor's.</summary>
internal delegate void PredictionStep(ReadOnlySpan<float> input, Span<float> output);
