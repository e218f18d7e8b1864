using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.Peers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks;

/// <summary>
/// W1: XOR, 2-4-1 (tanh, sigmoid), mean squared error, full-batch gradient descent with learning rate 0.5 over the
/// 4 samples. One invocation is one epoch, which is one full-batch step.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class W1_Xor
{
    private LabelledData _xor = null!;
    private int[] _all = null!;
    private XorNet _net = null!;
    private Trainer<XorNet> _trainer = null!;
    private float[] _gradient = null!;
    private readonly Sgd _sgd = new();
    private PlainMlp _plain = null!;
    private Sequential? _torchModel;
    private torch.optim.Optimizer? _torchOptimizer;
    private MSELoss? _torchLoss;
    private Tensor? _torchX, _torchY;

    /// <summary>Builds every implementation from the same initial parameters and checks that they train alike.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _xor = Workloads.Xor();
        _all = _xor.Indices();
        var initial = new float[XorNet.ParameterCount];
        XorNet.InitializeParameters(initial, Workloads.Seed);

        // Three epochs with each implementation must give the same parameters.
        const int CheckEpochs = 3;
        var netGen = Create(initial, out var trainer);
        for (int e = 0; e < CheckEpochs; e++)
        {
            trainer.TrainBatch(_xor.DataSet, _all);
        }
        var reference = netGen.Parameters;
        _net = Create(initial, out _);
        _gradient = new float[XorNet.ParameterCount];
        for (int e = 0; e < CheckEpochs; e++)
        {
            NetGenAccumulateGradientSgd();
        }
        Check.Close("W1 NetGen AccumulateGradient + Sgd.Step", reference, _net.Parameters, 1e-6f);
        _plain = new PlainMlp(XorNet.Layers, NetworkInfo.LossOf<XorNet>(), initial);
        for (int e = 0; e < CheckEpochs; e++)
        {
            PlainCSharp();
        }
        Check.Close("W1 plain C#", reference, _plain.GetParameters(XorNet.Layers, XorNet.ParameterCount), 1e-5f);
        if (TorchPeer.IsAvailable)
        {
            SetUpTorch(initial);
            for (int e = 0; e < CheckEpochs; e++)
            {
                TorchSharp();
            }
            Check.Close("W1 TorchSharp", reference, TorchPeer.GetParameters(_torchLinears!, XorNet.Layers, XorNet.ParameterCount), 1e-5f);
        }

        // The benchmarks go on from there; only the time per epoch is measured.
        _net = Create(initial, out _trainer);
        Check.SettleGarbage();
    }

    private Linear[]? _torchLinears;

    private void SetUpTorch(float[] initial)
    {
        (_torchModel, _torchLinears) = TorchPeer.Build(XorNet.Layers, initial, softmaxOutput: true);
        _torchOptimizer = torch.optim.SGD(_torchModel.parameters(), Workloads.XorLearningRate);
        _torchLoss = nn.MSELoss();
        _torchX = TorchPeer.Tensor(_xor.Features, 4, 2);
        _torchY = TorchPeer.Tensor(_xor.Targets, 4, 1);
    }

    private static XorNet Create(float[] initial, out Trainer<XorNet> trainer)
    {
        var net = new XorNet();
        initial.CopyTo(net.Parameters, 0);
        trainer = new Trainer<XorNet>(net, new TrainingOptions
        {
            BatchSize = TrainingOptions.FullBatch,
            LearningRate = Workloads.XorLearningRate,
            Shuffle = false,
        });
        return net;
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

    /// <summary>NetGen as a user calls it: Trainer.TrainBatch over the 4 samples (mean gradient, then Sgd).</summary>
    [Benchmark(Baseline = true, Description = "NetGen Trainer.TrainBatch")]
    public float NetGenTrainer() => _trainer.TrainBatch(_xor.DataSet, _all);

    /// <summary>
    /// NetGen without the trainer: the generated static AccumulateGradient for each sample, then Sgd.Step with the
    /// learning rate divided by the batch size (the same step as the mean gradient). Shows the trainer's overhead.
    /// </summary>
    [Benchmark(Description = "NetGen AccumulateGradient + Sgd.Step")]
    public float NetGenAccumulateGradientSgd()
    {
        Span<float> gradient = _gradient;
        gradient.Clear();
        float[] parameters = _net.Parameters;
        var data = _xor.DataSet;
        float loss = 0f;
        for (int s = 0; s < 4; s++)
        {
            loss += XorNet.AccumulateGradient(parameters, data.GetFeatures(s), data.GetTargets(s), gradient);
        }
        _sgd.Step(parameters, gradient, Workloads.XorLearningRate / 4);
        return loss / 4;
    }

    /// <summary>The plain C# peer: forward and backward per sample with nested loops, then SGD.</summary>
    [Benchmark(Description = "plain C# loops")]
    public float PlainCSharp() => _plain.TrainBatch(_xor.FeatureRows, _xor.TargetRows, _all, 0, 4, Workloads.XorLearningRate, adam: false);

    /// <summary>TorchSharp: zero_grad, forward of the [4, 2] batch, MSELoss, backward, SGD step.</summary>
    [Benchmark(Description = "TorchSharp")]
    [BenchmarkCategory(BenchmarkConfig.TorchSharp)]
    public void TorchSharp()
    {
        using var scope = torch.NewDisposeScope();
        _torchOptimizer!.zero_grad();
        var loss = _torchLoss!.forward(_torchModel!.forward(_torchX!), _torchY!);
        loss.backward();
        _torchOptimizer.step();
    }
}
