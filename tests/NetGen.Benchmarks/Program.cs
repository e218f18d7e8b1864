using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using NetGen.Benchmarks;
using NetGen.Benchmarks.Peers;
using NetGen.Onnx;

// NetGen against its peers on the workloads W1..W4 (see README.md next to this file).
//   dotnet run -c Release --project tests/NetGen.Benchmarks -- --filter '*'
// Options of this program (the others are BenchmarkDotNet's):
//   --no-torch            leave out the TorchSharp benchmarks (TorchSharp is then never loaded)
//   --no-onnx             leave out the ONNX Runtime benchmark
//   --export-onnx FILE    write W2's ONNX model (NetGen's seed-42 weights) to FILE and exit
//   --check-allocations   count NetGen's bytes per call exactly, on this thread (see AllocationCheck), and exit
//   --no-fann             leave out the FANN benchmarks (libfloatfann is then never loaded)
//   --cold [N]            W1 and W4 trained once each in N fresh processes per case (default 20), NetGen and FANN (see ColdStart)
//   --cold-exe NAME=PATH  with --cold: also run NetGen's W1 and W4 by PATH, a published ColdChild (ReadyToRun, NativeAOT; see ColdChild/)
//   --cold-child CASE [EPOCHS]  what one of those processes runs (EPOCHS replaces the workload's)
//   --machine             this machine's fp32 peak and cache read bandwidths, and the bounds they set (see MachineBounds)
//   --w1-floor            W1's epoch written by hand as one method (bitwise Trainer.Train's arithmetic) beside Trainer.Train and FANN (see W1EpochFloor)

// A cold child loads nothing it does not need: no BenchmarkDotNet, no TorchSharp.
if (args.Length is 2 or 3 && args[0] == "--cold-child")
{
    return ColdStart.RunChild(args[1], args.Length == 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : null);
}

if (args.Length == 1 && args[0] == "--machine")
{
    return MachineBounds.Run();
}

if (args.Length == 1 && args[0] == "--w1-floor")
{
    return W1EpochFloor.Run();
}

var arguments = args.ToList();
FannPeer.Disabled = arguments.Remove("--no-fann");
int cold = arguments.IndexOf("--cold");
if (cold >= 0)
{
    int rounds = cold + 1 < arguments.Count && int.TryParse(arguments[cold + 1], System.Globalization.CultureInfo.InvariantCulture, out int given) ? given : 20;
    var executables = new List<(string Name, string Path)>();
    for (int i = arguments.IndexOf("--cold-exe"); i >= 0 && i + 1 < arguments.Count; i = arguments.IndexOf("--cold-exe", i + 2))
    {
        string[] nameAndPath = arguments[i + 1].Split('=', 2);
        if (nameAndPath.Length != 2 || nameAndPath[0].Contains('-') || !File.Exists(nameAndPath[1]))
        {
            Console.Error.WriteLine($"--cold-exe needs NAME=PATH (a name without '-', an existing program); got '{arguments[i + 1]}'.");
            return 2;
        }
        executables.Add((nameAndPath[0], Path.GetFullPath(nameAndPath[1])));
    }
    return ColdStart.Run(rounds, executables);
}
TorchPeer.Disabled = arguments.Remove("--no-torch");
OrtPeer.Disabled = arguments.Remove("--no-onnx");
if (arguments.Remove("--check-allocations"))
{
    return AllocationCheck.Run();
}
int export = arguments.IndexOf("--export-onnx");
if (export >= 0)
{
    if (export + 1 >= arguments.Count)
    {
        Console.Error.WriteLine("--export-onnx needs a file name.");
        return 2;
    }
    var net = new MnistMlp();
    net.InitializeParameters(Workloads.Seed);
    File.WriteAllBytes(arguments[export + 1], OnnxExport.ToBytes(net));
    Console.WriteLine($"Wrote {arguments[export + 1]}: 784-128(ReLU)-10(softmax), NetGen's parameters from seed {Workloads.Seed}.");
    return 0;
}

IConfig config = DefaultConfig.Instance;
var skipped = new List<string>();
if (TorchPeer.Disabled)
{
    skipped.Add(BenchmarkConfig.TorchSharp);
    Console.WriteLine("TorchSharp: left out (--no-torch).");
}
else if (TorchPeer.LoadError is { } torchError)
{
    skipped.Add(BenchmarkConfig.TorchSharp);
    Console.WriteLine("TorchSharp: SKIPPED, its native library did not load:");
    Console.WriteLine("  " + torchError.Replace("\n", "\n  "));
    Console.WriteLine("  On Debian 12 this happens when libLibTorchSharp.so in the output folder was not patched (README.md,");
    Console.WriteLine("  'The TorchSharp patch'): build with /usr/bin/python3 present, or run tools/weaken_glibcxx_version.py on it.");
}
else
{
    Console.WriteLine($"TorchSharp: loaded, LibTorch {TorchPeer.LibTorchVersion}, 1 thread.");
}
if (OrtPeer.Disabled)
{
    skipped.Add(BenchmarkConfig.OnnxRuntime);
    Console.WriteLine("ONNX Runtime: left out (--no-onnx).");
}
else if (OrtPeer.LoadError is { } ortError)
{
    skipped.Add(BenchmarkConfig.OnnxRuntime);
    Console.WriteLine("ONNX Runtime: SKIPPED, its native library did not load: " + ortError);
}
else
{
    Console.WriteLine($"ONNX Runtime: loaded, version {OrtPeer.Version}, 1 thread.");
}

if (FannPeer.Disabled)
{
    skipped.Add(BenchmarkConfig.Fann);
    Console.WriteLine("FANN: left out (--no-fann).");
}
else if (FannPeer.LoadError is { } fannError)
{
    skipped.Add(BenchmarkConfig.Fann);
    Console.WriteLine("FANN: SKIPPED, " + fannError);
}
else
{
    Console.WriteLine("FANN: loaded (libfloatfann).");
}

if (skipped.Count > 0)
{
    config = ManualConfig.Create(config).AddFilter(new SimpleFilter(
        benchmark => !skipped.Any(category => benchmark.Descriptor.HasCategory(category))));
}
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. arguments], config);
return summaries.Any(static s => s.HasCriticalValidationErrors || s.Reports.Any(static r => !r.Success)) ? 1 : 0;
