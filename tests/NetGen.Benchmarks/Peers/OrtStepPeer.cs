using Microsoft.ML.OnnxRuntime;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// ONNX Runtime streaming a recurrent network one step at a time: a session on one thread over a one-step model
/// (make_recurrent_onnx.py's <c>*_step.onnx</c>: input, h and for an LSTM c in; output, h_out and c_out out). The state
/// lives in two preallocated sets of arrays; two IO bindings read one set and write the other, and the steps alternate
/// between them, so a step is one RunWithBinding call and nothing is copied.
/// </summary>
public sealed class OrtStepPeer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly List<OrtValue> _values = [];
    private readonly OrtIoBinding[] _bindings = new OrtIoBinding[2];
    private readonly RunOptions _runOptions = new();
    private readonly float[][] _states;
    private int _next;

    /// <summary>Creates the session and binds <paramref name="input"/> (one step's features) and <paramref name="output"/>.</summary>
    /// <param name="model">The one-step model.</param>
    /// <param name="input">The step's input array, read at every <see cref="Step"/>.</param>
    /// <param name="output">The output array, written at every <see cref="Step"/>.</param>
    /// <param name="size">Hidden units.</param>
    /// <param name="hasCellState">True for an LSTM (h and c), false for a GRU (h).</param>
    public OrtStepPeer(byte[] model, float[] input, float[] output, int size, bool hasCellState)
    {
        if (!OrtPeer.IsAvailable)
        {
            throw new InvalidOperationException("ONNX Runtime is not available: " + (OrtPeer.LoadError ?? "disabled with --no-onnx."));
        }
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
        string[] stateNames = hasCellState ? ["h", "c"] : ["h"];
        _states = new float[2 * stateNames.Length][];
        var inputValue = Value(input, [1, input.Length]);
        var outputValue = Value(output, [1, output.Length]);
        var stateValues = new OrtValue[_states.Length];
        for (int s = 0; s < _states.Length; s++)
        {
            _states[s] = new float[size];
            stateValues[s] = Value(_states[s], [1, 1, size]);
        }
        for (int b = 0; b < 2; b++)
        {
            var binding = _session.CreateIoBinding();
            binding.BindInput("input", inputValue);
            binding.BindOutput("output", outputValue);
            for (int n = 0; n < stateNames.Length; n++)
            {
                // Binding b reads state set b and writes the other one.
                binding.BindInput(stateNames[n], stateValues[b * stateNames.Length + n]);
                binding.BindOutput(stateNames[n] + "_out", stateValues[(1 - b) * stateNames.Length + n]);
            }
            binding.SynchronizeBoundInputs();
            _bindings[b] = binding;
        }
    }

    private OrtValue Value(float[] array, long[] shape)
    {
        var value = OrtValue.CreateTensorValueFromMemory(array, shape);
        _values.Add(value);
        return value;
    }

    /// <summary>One step: reads the input array and the current state, writes the output array and the next state.</summary>
    public void Step()
    {
        _session.RunWithBinding(_runOptions, _bindings[_next]);
        _next ^= 1;
    }

    /// <summary>Back to the zero state.</summary>
    public void Reset()
    {
        foreach (float[] state in _states)
        {
            Array.Clear(state);
        }
        _next = 0;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var binding in _bindings)
        {
            binding.Dispose();
        }
        foreach (var value in _values)
        {
            value.Dispose();
        }
        _runOptions.Dispose();
        _session.Dispose();
    }
}
