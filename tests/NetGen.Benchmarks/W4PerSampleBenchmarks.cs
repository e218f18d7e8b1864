using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.Peers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks;

/// <summary>
/// W4: per-sample SGD, 64-32(tanh)-10, softmax cross-entropy, learning rate 0.01, batch size 1, over the 1,797 UCI
/// digits of data/digits (pixels / 16). One invocation is one step on the next sample, in order, wrapping around.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class W4_PerSample
{
    private LabelledData _data = null!;
    private int[] _order = null!;
    private int _sample;
    private DigitsMlp _net = null!;
    private Trainer<DigitsMlp> _trainer = null!;
    private float[] _gradient = null!;
    private readonly Sgd _sgd = new();
    private PlainMlp _plain = null!;
    private Sequential? _torchModel;
    private Linear[]? _torchLinears;
    private torch.optim.Optimizer? _torchOptimizer;
    private CrossEntropyLoss? _torchLoss;
    private Tensor? _torchX, _torchY;

    /// <summary>Builds every implementation from the same initial parameters and checks that a few steps agree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _data = Workloads.Digits();
        _order = _data.Indices();
        var initial = new float[DigitsMlp.ParameterCount];
        DigitsMlp.InitializeParameters(initial, Workloads.Seed);

        const int CheckSteps = 5;
        var reference = Create(initial, out var trainer);
        for (int s = 0; s < CheckSteps; s++)
        {
            trainer.TrainBatch(_data.DataSet, _order.AsSpan(s, 1));
        }
        _net = Create(initial, out _);
        _gradient = new float[DigitsMlp.ParameterCount];
        _sample = 0;
        for (int s = 0; s < CheckSteps; s++)
        {
            NetGenAccumulateGradientSgd();
        }
        Check.Close("W4 NetGen AccumulateGradient + Sgd.Step", reference.Parameters, _net.Parameters, 1e-6f);
        _net = Create(initial, out _);
        _sample = 0;
        for (int s = 0; s < CheckSteps; s++)
        {
            NetGenSgdStep();
        }
        Check.Close("W4 NetGen SgdStep", reference.Parameters, _net.Parameters, 1e-6f);
        _plain = new PlainMlp(DigitsMlp.Layers, NetworkInfo.LossOf<DigitsMlp>(), initial);
        _sample = 0;
        for (int s = 0; s < CheckSteps; s++)
        {
            PlainCSharp();
        }
        Check.Close("W4 plain C#", reference.Parameters, _plain.GetParameters(DigitsMlp.Layers, DigitsMlp.ParameterCount), 1e-5f);
        if (TorchPeer.IsAvailable)
        {
            (_torchModel, _torchLinears) = TorchPeer.Build(DigitsMlp.Layers, initial, softmaxOutput: false);
            _torchOptimizer = torch.optim.SGD(_torchModel.parameters(), Workloads.PerSampleLearningRate);
            _torchLoss = nn.CrossEntropyLoss();
            _torchX = TorchPeer.Tensor(_data.Features, _data.Count, DigitsMlp.InputSize);
            _torchY = TorchPeer.Labels(_data.Labels!);
            _sample = 0;
            for (int s = 0; s < CheckSteps; s++)
            {
                TorchSharp();
            }
            Check.Close("W4 TorchSharp", reference.Parameters, TorchPeer.GetParameters(_torchLinears, DigitsMlp.Layers, DigitsMlp.ParameterCount), 1e-5f);
        }
        _net = Create(initial, out _trainer);
        _sample = 0;
        Check.SettleGarbage();
    }

    private static DigitsMlp Create(float[] initial, out Trainer<DigitsMlp> trainer)
    {
        var net = new DigitsMlp();
        initial.CopyTo(net.Parameters, 0);
        trainer = new Trainer<DigitsMlp>(net, new TrainingOptions
        {
            BatchSize = 1,
            LearningRate = Workloads.PerSampleLearningRate,
        });
        return net;
    }

    private int NextSample()
    {
        int sample = _sample;
        _sample = sample + 1 == Workloads.DigitsSampleCount ? 0 : sample + 1;
        return sample;
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

    /// <summary>NetGen as a user calls it: Trainer.TrainBatch on one index.</summary>
    [Benchmark(Baseline = true, Description = "NetGen Trainer.TrainBatch")]
    public float NetGenTrainer() => _trainer.TrainBatch(_data.DataSet, _order.AsSpan(NextSample(), 1));

    /// <summary>NetGen without the trainer: the generated fused step (what the trainer calls for plain SGD on one sample).</summary>
    [Benchmark(Description = "NetGen SgdStep")]
    public float NetGenSgdStep()
    {
        int s = NextSample();
        return _net.SgdStep(_data.DataSet.GetFeatures(s), _data.DataSet.GetTargets(s), Workloads.PerSampleLearningRate);
    }

    /// <summary>NetGen without the trainer: the generated static AccumulateGradient, then Sgd.Step.</summary>
    [Benchmark(Description = "NetGen AccumulateGradient + Sgd.Step")]
    public float NetGenAccumulateGradientSgd()
    {
        int s = NextSample();
        Span<float> gradient = _gradient;
        gradient.Clear();
        float loss = DigitsMlp.AccumulateGradient(_net.Parameters, _data.DataSet.GetFeatures(s), _data.DataSet.GetTargets(s), gradient);
        _sgd.Step(_net.Parameters, gradient, Workloads.PerSampleLearningRate);
        return loss;
    }

    /// <summary>The plain C# peer: forward and backward with nested loops, then SGD.</summary>
    [Benchmark(Description = "plain C# loops")]
    public float PlainCSharp() => _plain.TrainBatch(_data.FeatureRows, _data.TargetRows, _order, NextSample(), 1, Workloads.PerSampleLearningRate, adam: false);

    /// <summary>TorchSharp: zero_grad, forward of a [1, 64] slice, CrossEntropyLoss, backward, SGD step.</summary>
    [Benchmark(Description = "TorchSharp")]
    [BenchmarkCategory(BenchmarkConfig.TorchSharp)]
    public void TorchSharp()
    {
        using var scope = torch.NewDisposeScope();
        int s = NextSample();
        var x = _torchX!.narrow(0, s, 1);
        var y = _torchY!.narrow(0, s, 1);
        _torchOptimizer!.zero_grad();
        var loss = _torchLoss!.forward(_torchModel!.forward(x), y);
        loss.backward();
        _torchOptimizer.step();
    }
}
