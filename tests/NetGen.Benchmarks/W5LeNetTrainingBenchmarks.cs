using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.Peers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks;

/// <summary>
/// W5 training: LeNet-5 on 28x28 inputs (uniform in [0, 1), random labels; 6,400 samples), softmax cross-entropy,
/// batch 64, Adam (learning rate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-8), the same initial weights everywhere.
/// One invocation is one step on the next batch of 64 (in order, wrapping around): samples per second = 64 / time.
/// TorchSharp runs on 1 thread, as NetGen's baseline row does.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class W5_LeNetTraining
{
    private const int BatchSize = Workloads.MiniBatchSize;
    private const int SampleCount = 6_400;
    private const int BatchCount = SampleCount / BatchSize;

    private LabelledData _data = null!;
    private int[] _order = null!;
    private int _batch;
    private Trainer<LeNet5> _trainer = null!;
    private Trainer<LeNet5> _trainer2 = null!;
    private Sequential? _torchModel;
    private torch.optim.Optimizer? _torchOptimizer;
    private CrossEntropyLoss? _torchLoss;
    private Tensor? _torchX, _torchY;

    /// <summary>Builds every implementation from the same initial parameters and checks that two steps agree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _data = Workloads.MnistLike(SampleCount);
        _order = _data.Indices();
        var initial = new float[LeNet5.ParameterCount];
        LeNet5.InitializeParameters(initial, Workloads.Seed);

        const int CheckSteps = 2;
        var reference = Create(initial, threads: 1, out var referenceTrainer);
        var parallel = Create(initial, threads: 2, out var parallelTrainer);
        for (int b = 0; b < CheckSteps; b++)
        {
            referenceTrainer.TrainBatch(_data.DataSet, _order.AsSpan(b * BatchSize, BatchSize));
            parallelTrainer.TrainBatch(_data.DataSet, _order.AsSpan(b * BatchSize, BatchSize));
        }
        if (!parallel.Parameters.AsSpan().SequenceEqual(reference.Parameters))
        {
            throw new InvalidOperationException("W5 training: Trainer.TrainBatch on 2 threads differs from 1 thread.");
        }
        if (TorchPeer.IsAvailable)
        {
            torch.set_num_threads(1);
            _torchModel = W5_LeNetInference.BuildTorch(initial, softmaxOutput: false);
            _torchOptimizer = torch.optim.Adam(_torchModel.parameters(), Workloads.MiniBatchLearningRate);
            _torchLoss = nn.CrossEntropyLoss();
            _torchX = TorchPeer.Tensor(_data.Features, _data.Count, 1, 28, 28);
            _torchY = TorchPeer.Labels(_data.Labels!);
            _batch = 0;
            for (int b = 0; b < CheckSteps; b++)
            {
                TorchSharp();
            }
            Check.Close("W5 training TorchSharp", reference.Parameters, W5_LeNetInference.GetTorchParameters(_torchModel), 1e-4f);
        }
        Create(initial, threads: 1, out _trainer);
        Create(initial, threads: 2, out _trainer2);
        _batch = 0;
        Check.SettleGarbage();
    }

    private static LeNet5 Create(float[] initial, int threads, out Trainer<LeNet5> trainer)
    {
        var net = new LeNet5();
        initial.CopyTo(net.Parameters, 0);
        trainer = new Trainer<LeNet5>(net, new TrainingOptions
        {
            BatchSize = BatchSize,
            LearningRate = Workloads.MiniBatchLearningRate,
            Optimizer = new Adam(),
            Threads = threads,
        });
        return net;
    }

    private int NextStart()
    {
        int start = _batch * BatchSize;
        _batch = _batch + 1 == BatchCount ? 0 : _batch + 1;
        return start;
    }

    /// <summary>Frees TorchSharp's native tensors.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _torchX?.Dispose();
        _torchY?.Dispose();
        _torchLoss?.Dispose();
        (_torchOptimizer as IDisposable)?.Dispose();
        _torchModel?.Dispose();
    }

    /// <summary>NetGen: Trainer.TrainBatch on 64 indices (64 generated forward/backward passes, mean, Adam step).</summary>
    [Benchmark(Baseline = true, Description = "NetGen Trainer.TrainBatch")]
    public float NetGenTrainer() => _trainer.TrainBatch(_data.DataSet, _order.AsSpan(NextStart(), BatchSize));

    /// <summary>NetGen: the same step with <see cref="TrainingOptions.Threads"/> = 2: two chunks of 32 samples, one on a worker thread.</summary>
    [Benchmark(Description = "NetGen Trainer.TrainBatch, 2 threads")]
    public float NetGenTrainer2Threads() => _trainer2.TrainBatch(_data.DataSet, _order.AsSpan(NextStart(), BatchSize));

    /// <summary>TorchSharp on 1 thread: zero_grad, forward of a [64, 1, 28, 28] slice, CrossEntropyLoss on the labels, backward, Adam step.</summary>
    [Benchmark(Description = "TorchSharp")]
    [BenchmarkCategory(BenchmarkConfig.TorchSharp)]
    public void TorchSharp()
    {
        using var scope = torch.NewDisposeScope();
        int start = NextStart();
        var x = _torchX!.narrow(0, start, BatchSize);
        var y = _torchY!.narrow(0, start, BatchSize);
        _torchOptimizer!.zero_grad();
        var loss = _torchLoss!.forward(_torchModel!.forward(x), y);
        loss.backward();
        _torchOptimizer.step();
    }
}
