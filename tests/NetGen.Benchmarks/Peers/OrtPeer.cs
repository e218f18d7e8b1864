using Microsoft.ML.OnnxRuntime;
using NetGen.Onnx;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// ONNX Runtime for single-sample inference: a session on one thread over the model that
/// NetGen.Onnx's <see cref="OnnxExport"/> writes, with the input and output bound once to preallocated managed arrays
/// (OrtValues over pinned memory and an IOBinding), so a prediction is one RunWithBinding call.
/// </summary>
public sealed class OrtPeer : IDisposable
{
    private static readonly Lazy<string?> s_loadError = new(Load);

    private readonly InferenceSession _session;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();

    /// <summary>Set by <c>--no-onnx</c>: the ONNX Runtime benchmarks are filtered out.</summary>
    public static bool Disabled { get; set; }

    /// <summary>Why ONNX Runtime could not be loaded, or null when it was (or when it is disabled).</summary>
    public static string? LoadError => Disabled ? null : s_loadError.Value;

    /// <summary>True when ONNX Runtime is not disabled and its native library loaded.</summary>
    public static bool IsAvailable => !Disabled && LoadError is null;

    /// <summary>The native ONNX Runtime's version.</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    private static string? Load()
    {
        try
        {
            _ = OrtEnv.Instance().GetVersionString();
            return null;
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}" + (e.InnerException is { } inner ? $" ({inner.GetType().Name}: {inner.Message})" : "");
        }
    }

    /// <summary>Creates the session over <paramref name="model"/> and binds <paramref name="input"/> and <paramref name="output"/>.</summary>
    /// <param name="model">An ONNX ModelProto with one input [1, input.Length] and one output [1, output.Length].</param>
    /// <param name="input">The input array, read at every <see cref="Run"/>.</param>
    /// <param name="output">The output array, written at every <see cref="Run"/>.</param>
    /// <param name="inputShape">One sample's shape when it is not a vector ([1, 28, 28] for an image); the batch of 1 is added.</param>
    public OrtPeer(byte[] model, float[] input, float[] output, long[]? inputShape = null)
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException("ONNX Runtime is not available: " + (LoadError ?? "disabled with --no-onnx."));
        }
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
        _inputValue = OrtValue.CreateTensorValueFromMemory(input, inputShape is null ? [1, input.Length] : [1, .. inputShape]);
        _outputValue = OrtValue.CreateTensorValueFromMemory(output, [1, output.Length]);
        _binding = _session.CreateIoBinding();
        _binding.BindInput(OnnxExport.InputName, _inputValue);
        _binding.BindOutput(OnnxExport.OutputName, _outputValue);
        _binding.SynchronizeBoundInputs();
    }

    /// <summary>One prediction: reads the bound input array, writes the bound output array.</summary>
    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    /// <inheritdoc/>
    public void Dispose()
    {
        _binding.Dispose();
        _outputValue.Dispose();
        _inputValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
