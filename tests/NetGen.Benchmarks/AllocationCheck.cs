using NetGen.Benchmarks.Peers;

namespace NetGen.Benchmarks;

/// <summary>
/// <c>--check-allocations</c>: the bytes each NetGen benchmark (and the plain C# peer) allocates per call in steady
/// state, counted on the calling thread. BenchmarkDotNet's Allocated column is process-wide; in process, a finalizer
/// or the JIT working in the background during its one measuring iteration can add a few bytes per operation that the
/// benchmark never allocated. This check has no such noise. Exit code 1 when a NetGen step allocates.
/// </summary>
public static class AllocationCheck
{
    /// <summary>Runs the check and prints a table.</summary>
    public static int Run()
    {
        TorchPeer.Disabled = true; // the peers' setups are skipped: only the managed implementations are counted
        OrtPeer.Disabled = true;
        var w1 = new W1_Xor();
        w1.Setup();
        var w2 = new W2_Inference();
        w2.Setup();
        var w3 = new W3_MiniBatch();
        w3.Setup();
        var w4 = new W4_PerSample();
        w4.Setup();
        var rows = new (string Name, bool NetGen, Action Operation, int Calls)[]
        {
            ("W1 NetGen Trainer.TrainBatch", true, () => w1.NetGenTrainer(), 100_000),
            ("W1 NetGen AccumulateGradient + Sgd.Step", true, () => w1.NetGenAccumulateGradientSgd(), 100_000),
            ("W1 plain C# loops", false, () => w1.PlainCSharp(), 100_000),
            ("W2 NetGen Predict", true, w2.NetGenPredict, 20_000),
            ("W2 NetGen Predictor", true, w2.NetGenPredictor, 20_000),
            ("W2 plain C# loops", false, w2.PlainCSharp, 2_000),
            ("W3 NetGen Trainer.TrainBatch", true, () => w3.NetGenTrainer(), 200),
            ("W3 NetGen Trainer.TrainBatch, 2 threads", true, () => w3.NetGenTrainer2Threads(), 200),
            ("W3 plain C# loops", false, () => w3.PlainCSharp(), 20),
            ("W4 NetGen Trainer.TrainBatch", true, () => w4.NetGenTrainer(), 100_000),
            ("W4 NetGen SgdStep", true, () => w4.NetGenSgdStep(), 100_000),
            ("W4 NetGen AccumulateGradient + Sgd.Step", true, () => w4.NetGenAccumulateGradientSgd(), 100_000),
            ("W4 plain C# loops", false, () => w4.PlainCSharp(), 20_000),
        };
        Console.WriteLine("| benchmark | bytes allocated per call (this thread, steady state) |");
        Console.WriteLine("|---|---:|");
        bool netGenAllocates = false;
        foreach (var (name, netGen, operation, calls) in rows)
        {
            double bytes = Check.AllocatedBytesPerCall(operation, calls);
            netGenAllocates |= netGen && bytes > 0;
            Console.WriteLine($"| {name} | {bytes:0.###} |");
        }
        double process = Check.AllocatedBytesPerCallInProcess(() => w3.NetGenTrainer2Threads(), 200);
        netGenAllocates |= process > 0;
        Console.WriteLine();
        Console.WriteLine($"W3 NetGen Trainer.TrainBatch, 2 threads: {process:0.###} bytes per call in the whole process (worker threads included, least of 5 windows)");
        return netGenAllocates ? 1 : 0;
    }
}
