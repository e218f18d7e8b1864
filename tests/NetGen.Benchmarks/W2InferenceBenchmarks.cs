using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.Peers;
using NetGen.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks;

/// <summary>
/// W2: single-sample inference, 784-128(ReLU)-10(softmax), random weights (NetGen's He/Glorot initialization from
/// one seed, copied into every peer). One invocation is one prediction of one input into a preallocated output.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class W2_Inference
{
    private MnistMlp _net = null!;
    private float[] _input = null!;
    private readonly float[] _output = new float[MnistMlp.OutputSize];
    private Predictor<MnistMlp> _predictor = null!;
    private readonly float[] _predictorOutput = new float[MnistMlp.OutputSize];
    private PlainMlp _plain = null!;
    private readonly float[] _plainOutput = new float[MnistMlp.OutputSize];
    private Sequential? _torchModel;
    private Tensor? _torchInput;
    private readonly float[] _torchOutput = new float[MnistMlp.OutputSize];
    private OrtPeer? _ort;
    private readonly float[] _ortOutput = new float[MnistMlp.OutputSize];

    /// <summary>Builds every implementation with the same weights and checks that they predict the same output.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _net = new MnistMlp();
        _net.InitializeParameters(Workloads.Seed);
        _input = Workloads.RandomInput(MnistMlp.InputSize, Workloads.Seed + 1);
        _net.Predict(_input, _output);
        var reference = _output.ToArray();

        _predictor = new Predictor<MnistMlp>(_net);
        NetGenPredictor();
        if (!_predictorOutput.AsSpan().SequenceEqual(reference))
        {
            throw new InvalidOperationException("W2: the Predictor's output is not Predict's, bit for bit.");
        }

        _plain = new PlainMlp(MnistMlp.Layers, NetworkInfo.LossOf<MnistMlp>(), _net.Parameters);
        PlainCSharp();
        Check.Close("W2 plain C#", reference, _plainOutput, 1e-5f);
        if (TorchPeer.IsAvailable)
        {
            (_torchModel, _) = TorchPeer.Build(MnistMlp.Layers, _net.Parameters, softmaxOutput: true);
            _torchModel.eval();
            _torchInput = TorchPeer.Tensor(_input, 1, MnistMlp.InputSize);
            TorchSharp();
            Check.Close("W2 TorchSharp", reference, _torchOutput, 1e-5f);
        }
        if (OrtPeer.IsAvailable)
        {
            _ort = new OrtPeer(OnnxExport.ToBytes(_net), _input, _ortOutput);
            OnnxRuntime();
            Check.Close("W2 ONNX Runtime", reference, _ortOutput, 1e-5f);
        }
        Check.SettleGarbage();
    }

    /// <summary>Frees the native resources of the peers.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _torchInput?.Dispose();
        _torchModel?.Dispose();
        _ort?.Dispose();
    }

    /// <summary>NetGen: the generated Predict (stack scratch, SIMD loops).</summary>
    [Benchmark(Baseline = true, Description = "NetGen Predict")]
    public void NetGenPredict() => _net.Predict(_input, _output);

    /// <summary>NetGen: a Predictor, the parameters prepared once with the first layer's 8-row blocks packed into one stream each.</summary>
    [Benchmark(Description = "NetGen Predictor")]
    public void NetGenPredictor() => _predictor.Predict(_input, _predictorOutput);

    /// <summary>The plain C# peer: nested loops over jagged arrays.</summary>
    [Benchmark(Description = "plain C# loops")]
    public void PlainCSharp() => _plain.Predict(_input, _plainOutput);

    /// <summary>TorchSharp: forward of a preallocated [1, 784] tensor under no_grad, the 10 outputs copied back.</summary>
    [Benchmark(Description = "TorchSharp")]
    [BenchmarkCategory(BenchmarkConfig.TorchSharp)]
    public void TorchSharp()
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var output = _torchModel!.forward(_torchInput!);
        output.data<float>().CopyTo(_torchOutput);
    }

    /// <summary>ONNX Runtime: RunWithBinding on input and output OrtValues bound once to preallocated arrays.</summary>
    [Benchmark(Description = "ONNX Runtime (IOBinding)")]
    [BenchmarkCategory(BenchmarkConfig.OnnxRuntime)]
    public void OnnxRuntime() => _ort!.Run();
}
