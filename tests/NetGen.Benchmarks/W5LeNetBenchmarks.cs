using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.Peers;
using NetGen.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks;

/// <summary>
/// W5: one LeNet-5 prediction on a 28x28 image, the same weights everywhere (NetGen's initialization copied into
/// TorchSharp's modules, which store them in the same layout, and written for ONNX Runtime by OnnxExport). One thread each.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
public class W5_LeNetInference
{
    private LeNet5 _net = null!;
    private Predictor<LeNet5> _predictor = null!;
    private readonly float[] _predictorOutput = new float[LeNet5.OutputSize];
    private float[] _input = null!;
    private readonly float[] _output = new float[LeNet5.OutputSize];
    private Sequential? _torchModel;
    private Tensor? _torchInput;
    private readonly float[] _torchOutput = new float[LeNet5.OutputSize];
    private OrtPeer? _ort;
    private readonly float[] _ortOutput = new float[LeNet5.OutputSize];

    /// <summary>Builds every implementation with the same weights and checks that they predict the same output.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _net = new LeNet5();
        _net.InitializeParameters(Workloads.Seed);
        _input = Workloads.RandomInput(LeNet5.InputSize, Workloads.Seed + 1);
        _net.Predict(_input, _output);
        var reference = _output.ToArray();
        _predictor = new Predictor<LeNet5>(_net);
        NetGenPredictor();
        if (!_predictorOutput.AsSpan().SequenceEqual(reference))
        {
            throw new InvalidOperationException("W5: the Predictor's output is not Predict's, bit for bit.");
        }
        if (TorchPeer.IsAvailable)
        {
            _torchModel = BuildTorch(_net.Parameters, softmaxOutput: true);
            _torchModel.eval();
            _torchInput = TorchPeer.Tensor(_input, 1, 1, 28, 28);
            TorchSharp();
            Check.Close("W5 TorchSharp", reference, _torchOutput, 1e-5f);
        }
        if (OrtPeer.IsAvailable)
        {
            _ort = new OrtPeer(OnnxExport.ToBytes(_net), _input, _ortOutput, [1, 28, 28]);
            OnnxRuntime();
            Check.Close("W5 ONNX Runtime", reference, _ortOutput, 1e-5f);
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

    /// <summary>NetGen: the generated Predict (direct convolution loops with the sizes as constants).</summary>
    [Benchmark(Baseline = true, Description = "NetGen Predict")]
    public void NetGenPredict() => _net.Predict(_input, _output);

    /// <summary>NetGen: a Predictor, the dense 400-120 layer's weights packed for prediction.</summary>
    [Benchmark(Description = "NetGen Predictor")]
    public void NetGenPredictor() => _predictor.Predict(_input, _predictorOutput);

    /// <summary>TorchSharp: forward of a preallocated [1, 1, 28, 28] tensor under no_grad, the 10 outputs copied back.</summary>
    [Benchmark(Description = "TorchSharp")]
    [BenchmarkCategory(BenchmarkConfig.TorchSharp)]
    public void TorchSharp()
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var output = _torchModel!.forward(_torchInput!);
        output.data<float>().CopyTo(_torchOutput);
    }

    /// <summary>ONNX Runtime: RunWithBinding on OrtValues bound once to preallocated arrays.</summary>
    [Benchmark(Description = "ONNX Runtime (IOBinding)")]
    [BenchmarkCategory(BenchmarkConfig.OnnxRuntime)]
    public void OnnxRuntime() => _ort!.Run();

    /// <summary>
    /// LeNet-5 in TorchSharp with NetGen's parameters, which are laid out as PyTorch's state_dict in order; with
    /// <paramref name="softmaxOutput"/> false it ends at the logits, for CrossEntropyLoss.
    /// </summary>
    internal static Sequential BuildTorch(float[] parameters, bool softmaxOutput)
    {
        var layers = new List<(string, torch.nn.Module<Tensor, Tensor>)>
        {
            ("conv1", nn.Conv2d(1, 6, 5, padding: 2)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(6, 16, 5)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2)),
            ("flatten", nn.Flatten()),
            ("fc1", nn.Linear(400, 120)), ("relu3", nn.ReLU()),
            ("fc2", nn.Linear(120, 84)), ("relu4", nn.ReLU()),
            ("fc3", nn.Linear(84, 10)),
        };
        if (softmaxOutput)
        {
            layers.Add(("softmax", nn.Softmax(1)));
        }
        var model = nn.Sequential(layers);
        int offset = 0;
        using (torch.no_grad())
        {
            foreach (var parameter in model.parameters())
            {
                int count = (int)parameter.numel();
                parameter.copy_(torch.tensor(parameters.AsSpan(offset, count).ToArray(), parameter.shape));
                offset += count;
            }
        }
        if (offset != parameters.Length)
        {
            throw new InvalidOperationException($"TorchSharp's LeNet-5 has {offset} parameters, NetGen's {parameters.Length}.");
        }
        return model;
    }

    /// <summary>The flat parameters of a TorchSharp model, in NetGen's order (its parameters' order, each row-major).</summary>
    internal static float[] GetTorchParameters(Sequential model)
        => model.parameters().SelectMany(parameter => parameter.data<float>().ToArray()).ToArray();
}
