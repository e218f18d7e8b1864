using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.Peers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks;

/// <summary>
/// W3: mini-batch training, 784-128(ReLU)-10, softmax cross-entropy, batch 64, learning rate 1e-3, on 60,000
/// synthetic samples (inputs uniform in [0, 1), random labels). One invocation is one step on the next batch of 64
/// (in order, wrapping around after the last whole batch): samples per second = 64 / time.
/// The optimizer is Adam (beta1 0.9, beta2 0.999, epsilon 1e-8) in all three implementations: NetGen.Adam, the plain
/// C# peer's own Adam loop and torch.optim.Adam.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class W3_MiniBatch
{
    private const int BatchSize = Workloads.MiniBatchSize;
    private const int BatchCount = Workloads.MiniBatchSampleCount / BatchSize;

    private LabelledData _data = null!;
    private int[] _order = null!;
    private int _batch;
    private MnistMlp _net = null!;
    private Trainer<MnistMlp> _trainer = null!;
    private MnistMlp _net2 = null!;
    private Trainer<MnistMlp> _trainer2 = null!;
    private PlainMlp _plain = null!;
    private Sequential? _torchModel;
    private Linear[]? _torchLinears;
    private torch.optim.Optimizer? _torchOptimizer;
    private CrossEntropyLoss? _torchLoss;
    private Tensor? _torchX, _torchY;

    /// <summary>Builds every implementation from the same initial parameters and checks that two steps agree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _data = Workloads.MnistLike(Workloads.MiniBatchSampleCount);
        _order = _data.Indices();
        var initial = new float[MnistMlp.ParameterCount];
        MnistMlp.InitializeParameters(initial, Workloads.Seed);

        const int CheckSteps = 2;
        var reference = Create(initial, out var trainer);
        for (int b = 0; b < CheckSteps; b++)
        {
            trainer.TrainBatch(_data.DataSet, _order.AsSpan(b * BatchSize, BatchSize));
        }
        var parallel = Create(initial, out var trainer2, threads: 2);
        for (int b = 0; b < CheckSteps; b++)
        {
            trainer2.TrainBatch(_data.DataSet, _order.AsSpan(b * BatchSize, BatchSize));
        }
        if (!parallel.Parameters.AsSpan().SequenceEqual(reference.Parameters))
        {
            throw new InvalidOperationException("W3: Trainer.TrainBatch on 2 threads differs from 1 thread.");
        }
        _plain = new PlainMlp(MnistMlp.Layers, NetworkInfo.LossOf<MnistMlp>(), initial);
        _batch = 0;
        for (int b = 0; b < CheckSteps; b++)
        {
            PlainCSharp();
        }
        Check.Close("W3 plain C#", reference.Parameters, _plain.GetParameters(MnistMlp.Layers, MnistMlp.ParameterCount), 1e-4f);
        if (TorchPeer.IsAvailable)
        {
            (_torchModel, _torchLinears) = TorchPeer.Build(MnistMlp.Layers, initial, softmaxOutput: false);
            _torchOptimizer = torch.optim.Adam(_torchModel.parameters(), Workloads.MiniBatchLearningRate);
            _torchLoss = nn.CrossEntropyLoss();
            _torchX = TorchPeer.Tensor(_data.Features, _data.Count, MnistMlp.InputSize);
            _torchY = TorchPeer.Labels(_data.Labels!);
            _batch = 0;
            for (int b = 0; b < CheckSteps; b++)
            {
                TorchSharp();
            }
            Check.Close("W3 TorchSharp", reference.Parameters, TorchPeer.GetParameters(_torchLinears, MnistMlp.Layers, MnistMlp.ParameterCount), 1e-4f);
        }
        _net = Create(initial, out _trainer);
        _net2 = Create(initial, out _trainer2, threads: 2);
        _batch = 0;
        Check.SettleGarbage();
    }

    private static MnistMlp Create(float[] initial, out Trainer<MnistMlp> trainer, int threads = 1)
    {
        var net = new MnistMlp();
        initial.CopyTo(net.Parameters, 0);
        trainer = new Trainer<MnistMlp>(net, new TrainingOptions
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

    /// <summary>NetGen: Trainer.TrainBatch on 64 indices (64 generated forward/backward passes, mean, optimizer step).</summary>
    [Benchmark(Baseline = true, Description = "NetGen Trainer.TrainBatch")]
    public float NetGenTrainer() => _trainer.TrainBatch(_data.DataSet, _order.AsSpan(NextStart(), BatchSize));

    /// <summary>NetGen: the same step with <see cref="TrainingOptions.Threads"/> = 2: two chunks of 32 samples, one on a worker thread.</summary>
    [Benchmark(Description = "NetGen Trainer.TrainBatch, 2 threads")]
    public float NetGenTrainer2Threads() => _trainer2.TrainBatch(_data.DataSet, _order.AsSpan(NextStart(), BatchSize));

    /// <summary>The plain C# peer: per-sample forward and backward with nested loops, mean gradient, update.</summary>
    [Benchmark(Description = "plain C# loops")]
    public float PlainCSharp() => _plain.TrainBatch(_data.FeatureRows, _data.TargetRows, _order, NextStart(), BatchSize, Workloads.MiniBatchLearningRate, adam: true);

    /// <summary>TorchSharp: zero_grad, forward of a [64, 784] slice, CrossEntropyLoss on the labels, backward, Adam step.</summary>
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
