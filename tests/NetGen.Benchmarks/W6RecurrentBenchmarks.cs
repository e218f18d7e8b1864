using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.Peers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks;

/// <summary>
/// W6 in TorchSharp: the recurrent layer (PyTorch's LSTM or GRU, batch_first) and Linear(H, 1) on its last step's
/// output, with the W6 parameters (the same flat vector as NetGen's: the state_dict in order).
/// </summary>
public sealed class TorchRecurrent : IDisposable
{
    private readonly LSTM? _lstm;
    private readonly GRU? _gru;
    private Tensor? _h, _c;

    /// <summary>Builds the modules and copies <paramref name="parameters"/> into them.</summary>
    public TorchRecurrent(string cell, int size, float[] parameters)
    {
        TorchPeer.EnsureAvailable();
        Size = size;
        if (cell == "LSTM")
        {
            _lstm = nn.LSTM(size, size, batchFirst: true);
        }
        else
        {
            _gru = nn.GRU(size, size, batchFirst: true);
        }
        Linear = nn.Linear(size, 1);
        int offset = 0;
        using (torch.no_grad())
        {
            foreach (var parameter in Parameters())
            {
                int count = (int)parameter.numel();
                using var values = torch.tensor(parameters.AsSpan(offset, count).ToArray(), parameter.shape);
                parameter.copy_(values);
                offset += count;
            }
        }
        if (offset != parameters.Length)
        {
            throw new InvalidOperationException($"TorchSharp's {cell} network has {offset} parameters, NetGen's {parameters.Length}.");
        }
    }

    /// <summary>Hidden units and features per step.</summary>
    public int Size { get; }

    /// <summary>The output layer.</summary>
    public Linear Linear { get; }

    /// <summary>Every parameter in PyTorch's order: the recurrent layer's, then the linear layer's.</summary>
    public IEnumerable<Parameter> Parameters()
        => (_lstm is not null ? _lstm.parameters() : _gru!.parameters()).Concat(Linear.parameters());

    /// <summary>The network on a batch of sequences [batch, 28, H]: [batch, 1].</summary>
    public Tensor Forward(Tensor sequences)
    {
        Tensor output = _lstm is not null ? _lstm.forward(sequences).Item1 : _gru!.forward(sequences).Item1;
        return Linear.forward(output.select(1, -1));
    }

    /// <summary>One step [1, 1, H] from the kept state, which it replaces: the output [1, 1]. Call inside a dispose scope.</summary>
    public Tensor Step(Tensor step)
    {
        Tensor output;
        if (_lstm is not null)
        {
            var (sequence, h, c) = _lstm.forward(step, _h is null ? null : (_h, _c!));
            Keep(ref _h, h);
            Keep(ref _c, c);
            output = sequence;
        }
        else
        {
            var (sequence, h) = _gru!.forward(step, _h);
            Keep(ref _h, h);
            output = sequence;
        }
        return Linear.forward(output.select(1, 0));
    }

    private static void Keep(ref Tensor? kept, Tensor next)
    {
        next.MoveToOuterDisposeScope();
        kept?.Dispose();
        kept = next;
    }

    /// <summary>Back to the zero state.</summary>
    public void Reset()
    {
        _h?.Dispose();
        _c?.Dispose();
        _h = _c = null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Reset();
        _lstm?.Dispose();
        _gru?.Dispose();
        Linear.Dispose();
    }
}

/// <summary>
/// W6 (a): one streaming step of an LSTM or a GRU of H units over H features (then Dense(1)): NetGen's generated
/// <c>Step</c>, ONNX Runtime on a one-step model with the state as inputs and outputs, and TorchSharp's module with the
/// state kept between calls. The same step input every call; the state goes on evolving. One thread each.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class W6_RecurrentStep
{
    private RecurrentRunner _net = null!;
    private float[] _stepInput = null!;
    private readonly float[] _output = new float[1];
    private OrtStepPeer? _ort;
    private float[] _ortInput = null!;
    private readonly float[] _ortOutput = new float[1];
    private TorchRecurrent? _torch;
    private Tensor? _torchStep;

    /// <summary>The cell.</summary>
    [Params("LSTM", "GRU")]
    public string Cell { get; set; } = "LSTM";

    /// <summary>Hidden units = features per step.</summary>
    [Params(8, 16, 32, 64)]
    public int Size { get; set; } = 8;

    /// <summary>Builds every implementation with the same weights and checks that streaming a sequence gives Predict's output.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _net = RecurrentRunner.Create(Cell, Size);
        RecurrentWorkload.Sequences(1, Size, out float[] sequence, out _);
        var expected = new float[1];
        _net.Predict(sequence, expected);
        _net.Reset();
        for (int t = 0; t < RecurrentRunner.Steps; t++)
        {
            _net.Step(sequence.AsSpan(t * Size, Size), _output);
        }
        Check.Close($"W6 {Cell} {Size} NetGen Step", expected, _output, 0f);
        _stepInput = sequence.AsSpan(0, Size).ToArray();
        _ortInput = new float[Size];
        if (OrtPeer.IsAvailable)
        {
            _ort = new OrtStepPeer(RecurrentWorkload.OnnxModel(Cell, Size, "step"), _ortInput, _ortOutput, Size, Cell == "LSTM");
            for (int t = 0; t < RecurrentRunner.Steps; t++)
            {
                sequence.AsSpan(t * Size, Size).CopyTo(_ortInput);
                _ort.Step();
            }
            Check.Close($"W6 {Cell} {Size} ONNX Runtime step", expected, _ortOutput, 1e-5f);
            _ort.Reset();
            _stepInput.CopyTo(_ortInput);
        }
        if (TorchPeer.IsAvailable)
        {
            _torch = new TorchRecurrent(Cell, Size, _net.Parameters);
            var streamed = new float[1];
            for (int t = 0; t < RecurrentRunner.Steps; t++)
            {
                using var scope = torch.NewDisposeScope();
                using var noGrad = torch.no_grad();
                _torch.Step(torch.tensor(sequence.AsSpan(t * Size, Size).ToArray(), [1, 1, Size])).data<float>().CopyTo(streamed);
            }
            Check.Close($"W6 {Cell} {Size} TorchSharp step", expected, streamed, 1e-5f);
            _torch.Reset();
            _torchStep = torch.tensor(_stepInput, [1, 1, Size]);
        }
        _net.Reset();
        Check.SettleGarbage();
    }

    /// <summary>Frees the native resources of the peers.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _ort?.Dispose();
        _torchStep?.Dispose();
        _torch?.Dispose();
    }

    /// <summary>NetGen: the generated Step(ref state, stepInput, output).</summary>
    [Benchmark(Baseline = true, Description = "NetGen Step")]
    public void NetGenStep() => _net.Step(_stepInput, _output);

    /// <summary>ONNX Runtime: RunWithBinding of the one-step model, the state bound to alternating preallocated arrays.</summary>
    [Benchmark(Description = "ONNX Runtime step (IOBinding)")]
    [BenchmarkCategory(BenchmarkConfig.OnnxRuntime)]
    public void OnnxRuntimeStep() => _ort!.Step();

    /// <summary>TorchSharp: the module's forward of one [1, 1, H] step from the kept state under no_grad, the output copied back.</summary>
    [Benchmark(Description = "TorchSharp step")]
    [BenchmarkCategory(BenchmarkConfig.TorchSharp)]
    public void TorchSharpStep()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _torch!.Step(_torchStep!).data<float>().CopyTo(_output);
    }
}

/// <summary>
/// W6 (b): whole-sequence inference, 28 steps of H features through an LSTM or a GRU of H units, then Dense(1):
/// NetGen's Predict, ONNX Runtime on PyTorch's exported model, TorchSharp's modules. One thread each.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class W6_RecurrentSequence
{
    private RecurrentRunner _net = null!;
    private float[] _sequence = null!;
    private readonly float[] _output = new float[1];
    private OrtPeer? _ort;
    private readonly float[] _ortOutput = new float[1];
    private TorchRecurrent? _torch;
    private Tensor? _torchSequence;
    private readonly float[] _torchOutput = new float[1];

    /// <summary>The cell.</summary>
    [Params("LSTM", "GRU")]
    public string Cell { get; set; } = "LSTM";

    /// <summary>Hidden units = features per step.</summary>
    [Params(8, 16, 32, 64)]
    public int Size { get; set; } = 8;

    /// <summary>Builds every implementation with the same weights and checks that they predict the same output.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _net = RecurrentRunner.Create(Cell, Size);
        RecurrentWorkload.Sequences(1, Size, out _sequence, out _);
        _net.Predict(_sequence, _output);
        var expected = _output.ToArray();
        if (OrtPeer.IsAvailable)
        {
            _ort = new OrtPeer(RecurrentWorkload.OnnxModel(Cell, Size, "sequence"), _sequence, _ortOutput, [RecurrentRunner.Steps, Size]);
            OnnxRuntime();
            Check.Close($"W6 {Cell} {Size} ONNX Runtime", expected, _ortOutput, 1e-5f);
        }
        if (TorchPeer.IsAvailable)
        {
            _torch = new TorchRecurrent(Cell, Size, _net.Parameters);
            _torchSequence = torch.tensor(_sequence, [1, RecurrentRunner.Steps, Size]);
            TorchSharp();
            Check.Close($"W6 {Cell} {Size} TorchSharp", expected, _torchOutput, 1e-5f);
        }
        Check.SettleGarbage();
    }

    /// <summary>Frees the native resources of the peers.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _ort?.Dispose();
        _torchSequence?.Dispose();
        _torch?.Dispose();
    }

    /// <summary>NetGen: the generated Predict on the 28 x H sequence.</summary>
    [Benchmark(Baseline = true, Description = "NetGen Predict")]
    public void NetGenPredict() => _net.Predict(_sequence, _output);

    /// <summary>ONNX Runtime: RunWithBinding of PyTorch's exported model on arrays bound once.</summary>
    [Benchmark(Description = "ONNX Runtime (IOBinding)")]
    [BenchmarkCategory(BenchmarkConfig.OnnxRuntime)]
    public void OnnxRuntime() => _ort!.Run();

    /// <summary>TorchSharp: forward of a preallocated [1, 28, H] tensor under no_grad, the output copied back.</summary>
    [Benchmark(Description = "TorchSharp")]
    [BenchmarkCategory(BenchmarkConfig.TorchSharp)]
    public void TorchSharp()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _torch!.Forward(_torchSequence!).data<float>().CopyTo(_torchOutput);
    }
}

/// <summary>
/// W6 (c): training throughput, batch 64 sequences of 28 x H, MSE on one regression target, Adam (learning rate 1e-3):
/// NetGen's Trainer.TrainBatch (backpropagation through time in the generated code) and TorchSharp (forward, MSELoss,
/// backward, Adam step). One thread each; samples per second = 64 / time.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class W6_RecurrentTraining
{
    private const int BatchCount = RecurrentWorkload.SampleCount / RecurrentWorkload.BatchSize;

    private RecurrentRunner _net = null!;
    private RecurrentRunner.ITrainBatch _trainer = null!;
    private DataSet _data = null!;
    private int[] _order = null!;
    private int _batch;
    private TorchRecurrent? _torch;
    private torch.optim.Optimizer? _torchOptimizer;
    private MSELoss? _torchLoss;
    private Tensor? _torchX, _torchY;

    /// <summary>The cell.</summary>
    [Params("LSTM", "GRU")]
    public string Cell { get; set; } = "LSTM";

    /// <summary>Hidden units = features per step.</summary>
    [Params(8, 16, 32, 64)]
    public int Size { get; set; } = 8;

    /// <summary>Builds both implementations from the same parameters and checks that two steps agree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _data = RecurrentWorkload.Sequences(RecurrentWorkload.SampleCount, Size, out float[] features, out float[] targets);
        _order = Enumerable.Range(0, RecurrentWorkload.SampleCount).ToArray();
        const int CheckSteps = 2;
        var reference = RecurrentRunner.Create(Cell, Size);
        var referenceTrainer = reference.CreateTrainer(threads: 1);
        for (int b = 0; b < CheckSteps; b++)
        {
            referenceTrainer.TrainBatch(_data, _order.AsSpan(b * RecurrentWorkload.BatchSize, RecurrentWorkload.BatchSize));
        }
        if (TorchPeer.IsAvailable)
        {
            _torch = new TorchRecurrent(Cell, Size, RecurrentRunner.Create(Cell, Size).Parameters);
            _torchOptimizer = torch.optim.Adam(_torch.Parameters(), RecurrentWorkload.LearningRate);
            _torchLoss = nn.MSELoss();
            _torchX = torch.tensor(features, [RecurrentWorkload.SampleCount, RecurrentRunner.Steps, Size]);
            _torchY = torch.tensor(targets, [RecurrentWorkload.SampleCount, 1]);
            _batch = 0;
            for (int b = 0; b < CheckSteps; b++)
            {
                TorchSharp();
            }
            var torchParameters = _torch.Parameters().SelectMany(static p => p.data<float>().ToArray()).ToArray();
            Check.Close($"W6 {Cell} {Size} TorchSharp training", reference.Parameters, torchParameters, 1e-4f);
        }
        _net = RecurrentRunner.Create(Cell, Size);
        _trainer = _net.CreateTrainer(threads: 1);
        _batch = 0;
        Check.SettleGarbage();
    }

    private int NextStart()
    {
        int start = _batch * RecurrentWorkload.BatchSize;
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
        _torch?.Dispose();
    }

    /// <summary>NetGen: Trainer.TrainBatch on the next 64 sequences, Adam.</summary>
    [Benchmark(Baseline = true, Description = "NetGen Trainer.TrainBatch")]
    public float NetGenTrainer() => _trainer.TrainBatch(_data, _order.AsSpan(NextStart(), RecurrentWorkload.BatchSize));

    /// <summary>TorchSharp: zero_grad, forward of a [64, 28, H] slice, MSELoss, backward, Adam step.</summary>
    [Benchmark(Description = "TorchSharp")]
    [BenchmarkCategory(BenchmarkConfig.TorchSharp)]
    public void TorchSharp()
    {
        using var scope = torch.NewDisposeScope();
        int start = NextStart();
        var x = _torchX!.narrow(0, start, RecurrentWorkload.BatchSize);
        var y = _torchY!.narrow(0, start, RecurrentWorkload.BatchSize);
        _torchOptimizer!.zero_grad();
        var loss = _torchLoss!.forward(_torch!.Forward(x), y);
        loss.backward();
        _torchOptimizer.step();
    }
}
