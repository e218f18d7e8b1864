using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// Loading TorchSharp (its native LibTorchSharp and LibTorch) once per process, single-threaded, and building the
/// TorchSharp counterpart of a NetGen network with the same parameters.
/// </summary>
public static class TorchPeer
{
    private static readonly Lazy<string?> s_loadError = new(Load);

    /// <summary>Set by <c>--no-torch</c>: the TorchSharp benchmarks are filtered out and TorchSharp is never loaded.</summary>
    public static bool Disabled { get; set; }

    /// <summary>True when TorchSharp is not disabled and its native libraries loaded.</summary>
    public static bool IsAvailable => !Disabled && LoadError is null;

    /// <summary>Why TorchSharp could not be loaded, or null when it was (or when it is disabled).</summary>
    public static string? LoadError => Disabled ? null : s_loadError.Value;

    /// <summary>Throws with the load failure when TorchSharp cannot be used.</summary>
    public static void EnsureAvailable()
    {
        if (Disabled)
        {
            throw new InvalidOperationException("TorchSharp was disabled with --no-torch.");
        }
        if (LoadError is { } error)
        {
            throw new InvalidOperationException("TorchSharp could not be loaded: " + error);
        }
    }

    private static string? Load()
    {
        // Load the native library the way TorchSharp will (from this program's folder) before touching TorchSharp: a
        // failure then reports the loader's own words (e.g. "version `GLIBCXX_3.4.32' not found"), and TorchSharp's
        // fallback, which copies all of LibTorch (about 500 MB) into bin/.../cpu to try again, never runs.
        try
        {
            NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            // The message lists every path probed; the ones that merely do not exist say nothing.
            var lines = e.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(static line => !line.EndsWith("cannot open shared object file: No such file or directory", StringComparison.Ordinal));
            return string.Join(Environment.NewLine, lines);
        }
        try
        {
            // One intra-op thread like the other implementations; one inter-op thread (allowed once, before any work).
            torch.set_num_threads(1);
            torch.set_num_interop_threads(1);
            using var probe = torch.ones(2, 2).matmul(torch.ones(2, 2));
            if (probe.sum().item<float>() != 8f)
            {
                return "a 2x2 matrix product gave a wrong result.";
            }
            return null;
        }
        catch (Exception e)
        {
            var message = new System.Text.StringBuilder();
            for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            {
                message.Append(inner.GetType().Name).Append(": ").AppendLine(inner.Message);
            }
            return message.ToString().TrimEnd();
        }
    }

    /// <summary>The LibTorch version TorchSharp runs on, e.g. 2.10.0.</summary>
    public static string LibTorchVersion => torch.__version__;

    /// <summary>
    /// Builds nn.Sequential(Linear, activation, ...) with the parameters of a NetGen network. The softmax of the
    /// output layer is left out when <paramref name="softmaxOutput"/> is false (training: CrossEntropyLoss takes logits).
    /// </summary>
    public static (Sequential Model, Linear[] Linears) Build(IReadOnlyList<LayerInfo> layers, ReadOnlySpan<float> parameters, bool softmaxOutput)
    {
        EnsureAvailable();
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var linears = new Linear[layers.Count];
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            var linear = nn.Linear(layer.InputSize, layer.OutputSize);
            using (torch.no_grad())
            {
                using var weights = torch.tensor(parameters.Slice(layer.WeightsOffset, layer.WeightCount).ToArray(), [layer.OutputSize, layer.InputSize]);
                using var biases = torch.tensor(parameters.Slice(layer.BiasesOffset, layer.OutputSize).ToArray(), [layer.OutputSize]);
                linear.weight!.copy_(weights);
                linear.bias!.copy_(biases);
            }
            linears[l] = linear;
            modules.Add(($"linear{l}", linear));
            nn.Module<Tensor, Tensor>? activation = layer.Activation switch
            {
                Activation.Tanh => nn.Tanh(),
                Activation.Sigmoid => nn.Sigmoid(),
                Activation.ReLU => nn.ReLU(),
                Activation.Softmax => softmaxOutput ? nn.Softmax(1) : null,
                Activation.Identity => null,
                _ => throw new NotSupportedException(layer.Activation.ToString()),
            };
            if (activation is not null)
            {
                modules.Add(($"activation{l}", activation));
            }
        }
        return (nn.Sequential(modules), linears);
    }

    /// <summary>The parameters of the linear layers in NetGen's layout, to compare implementations.</summary>
    public static float[] GetParameters(Linear[] linears, IReadOnlyList<LayerInfo> layers, int parameterCount)
    {
        var parameters = new float[parameterCount];
        for (int l = 0; l < layers.Count; l++)
        {
            linears[l].weight!.data<float>().ToArray().CopyTo(parameters, layers[l].WeightsOffset);
            linears[l].bias!.data<float>().ToArray().CopyTo(parameters, layers[l].BiasesOffset);
        }
        return parameters;
    }

    /// <summary>Copies row-major floats into a new tensor of the given shape.</summary>
    public static Tensor Tensor(float[] values, params long[] shape) => torch.tensor(values, shape);

    /// <summary>Copies class labels into a new int64 tensor.</summary>
    public static Tensor Labels(int[] labels) => torch.tensor(labels.Select(static l => (long)l).ToArray(), [labels.Length]);
}
