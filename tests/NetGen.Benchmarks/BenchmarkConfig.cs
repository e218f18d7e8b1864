using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace NetGen.Benchmarks;

/// <summary>
/// The job every benchmark class runs with: in process (so that TorchSharp loads the patched native library of this
/// project's output and ONNX Runtime its native library from the same folder, and no second project is generated and
/// built), 3 warm-up and 10 measured iterations. NetGen is each class's baseline: Ratio = peer time / NetGen time.
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    /// <summary>The category of the TorchSharp benchmarks (filtered out when TorchSharp does not load, or with --no-torch).</summary>
    public const string TorchSharp = "TorchSharp";

    /// <summary>The category of the ONNX Runtime benchmarks (filtered out when it does not load, or with --no-onnx).</summary>
    public const string OnnxRuntime = "OnnxRuntime";

    /// <summary>The category of the FANN benchmarks (filtered out when libfloatfann does not load, or with --no-fann).</summary>
    public const string Fann = "FANN";

    /// <summary>Creates the configuration.</summary>
    public BenchmarkConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithId("InProcess-3x10"));
        AddColumn(StatisticColumn.Median);
        HideColumns("Categories", "Alloc Ratio");
    }
}
