using System.Runtime.InteropServices;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// FANN 2.2 (the Fast Artificial Neural Network library, Debian's <c>libfann-dev</c>), float build
/// (<c>libfloatfann</c>), through P/Invoke: a fully connected network of the same sizes as a NetGen network, with
/// NetGen's initial parameters, trained by FANN's own loop (<c>fann_train_on_data</c>) full-batch
/// (<c>FANN_TRAIN_BATCH</c>, the mean gradient of all samples per epoch) or per sample (<c>FANN_TRAIN_INCREMENTAL</c>).
/// Hidden layers are tanh (<c>FANN_SIGMOID_SYMMETRIC</c>, steepness 1), the output is the logistic sigmoid
/// (<c>FANN_SIGMOID</c>, steepness 0.5) with the linear error function (squared error). FANN has no softmax: for a
/// softmax cross-entropy network the output is the sigmoid with squared error, the same amount of work per output
/// (one exponential, one derivative). The library is loaded at the first use; where it is absent the FANN rows are
/// skipped with <see cref="LoadError"/>.
/// </summary>
public sealed partial class FannPeer : IDisposable
{
    private const string Library = "floatfann";
    private const int TrainIncremental = 0;
    private const int TrainBatch = 1;
    private const int SigmoidActivation = 3;
    private const int SigmoidSymmetricActivation = 5;
    private const int LinearErrorFunction = 0;

    private static readonly Lazy<string?> s_loadError = new(Load);

    private nint _ann;
    private nint _data;

    /// <summary>Set by <c>--no-fann</c>: the FANN rows are left out and the library is never loaded.</summary>
    public static bool Disabled { get; set; }

    /// <summary>Why libfloatfann could not be loaded, or null when it was (or when FANN is disabled).</summary>
    public static string? LoadError => Disabled ? null : s_loadError.Value;

    /// <summary>True when FANN is not disabled and libfloatfann loaded.</summary>
    public static bool IsAvailable => !Disabled && LoadError is null;

    private static string? Load()
    {
        NativeLibrary.SetDllImportResolver(typeof(FannPeer).Assembly, static (name, assembly, path) =>
        {
            if (name != Library)
            {
                return 0;
            }
            // The -dev package installs libfloatfann.so; the runtime package alone, libfloatfann.so.2.
            foreach (string file in (ReadOnlySpan<string>)["libfloatfann.so.2", "libfloatfann.so", "floatfann"])
            {
                if (NativeLibrary.TryLoad(file, assembly, path, out nint handle))
                {
                    return handle;
                }
            }
            return 0;
        });
        try
        {
            nint probe = fann_create_train(1, 1, 1);
            if (probe == 0)
            {
                return "fann_create_train returned null.";
            }
            fann_destroy_train(probe);
            return null;
        }
        catch (DllNotFoundException e)
        {
            return "libfloatfann was not found (on Debian: apt-get install libfann-dev or libfann2): " + e.Message.Split('\n')[0];
        }
    }

    /// <summary>
    /// Creates the network with the layer sizes of <paramref name="layers"/> and the parameters
    /// <paramref name="parameters"/> (NetGen's layout: per layer, the weights row by row, then the biases), and
    /// copies <paramref name="data"/> into FANN's training data.
    /// </summary>
    /// <param name="inputSize">The number of inputs.</param>
    /// <param name="layers">The dense layers, in order.</param>
    /// <param name="parameters">NetGen's parameter vector, copied into FANN's connections.</param>
    /// <param name="data">The training samples, in order.</param>
    /// <param name="learningRate">FANN's learning rate.</param>
    /// <param name="fullBatch">True: one mean-gradient step per epoch (FANN_TRAIN_BATCH); false: one step per sample (FANN_TRAIN_INCREMENTAL).</param>
    public unsafe FannPeer(int inputSize, IReadOnlyList<LayerInfo> layers, ReadOnlySpan<float> parameters, LabelledData data, float learningRate, bool fullBatch)
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException("FANN is not available: " + (LoadError ?? "disabled with --no-fann."));
        }
        var sizes = new uint[layers.Count + 1];
        sizes[0] = (uint)inputSize;
        for (int l = 0; l < layers.Count; l++)
        {
            sizes[l + 1] = (uint)layers[l].OutputSize;
        }
        fixed (uint* sizePointer = sizes)
        {
            _ann = fann_create_standard_array((uint)sizes.Length, sizePointer);
        }
        if (_ann == 0)
        {
            throw new InvalidOperationException("fann_create_standard_array returned null.");
        }
        fann_set_activation_function_hidden(_ann, SigmoidSymmetricActivation);
        fann_set_activation_steepness_hidden(_ann, 1f);
        fann_set_activation_function_output(_ann, SigmoidActivation);
        fann_set_activation_steepness_output(_ann, 0.5f);
        fann_set_train_error_function(_ann, LinearErrorFunction);
        fann_set_training_algorithm(_ann, fullBatch ? TrainBatch : TrainIncremental);
        fann_set_learning_rate(_ann, learningRate);
        SetParameters(sizes, layers, parameters);

        _data = fann_create_train((uint)data.Count, (uint)inputSize, (uint)(data.Targets.Length / data.Count));
        if (_data == 0)
        {
            throw new InvalidOperationException("fann_create_train returned null.");
        }
        // struct fann_train_data: fann_type **input at byte 40, **output at 48; fann_create_train allocates each as one block.
        float* inputs = *(float**)*(nint*)(_data + 40);
        float* outputs = *(float**)*(nint*)(_data + 48);
        data.Features.CopyTo(new Span<float>(inputs, data.Features.Length));
        data.Targets.CopyTo(new Span<float>(outputs, data.Targets.Length));
    }

    /// <summary>
    /// FANN's neurons are numbered layer by layer, each layer followed by its bias neuron; every neuron of a layer has
    /// a connection from every neuron of the layer before, its bias neuron last.
    /// </summary>
    private unsafe void SetParameters(uint[] sizes, IReadOnlyList<LayerInfo> layers, ReadOnlySpan<float> parameters)
    {
        uint count = fann_get_total_connections(_ann);
        var connections = new FannConnection[count];
        fixed (FannConnection* pointer = connections)
        {
            fann_get_connection_array(_ann, pointer);
            var firstNeuron = new uint[sizes.Length];
            for (int l = 1; l < sizes.Length; l++)
            {
                firstNeuron[l] = firstNeuron[l - 1] + sizes[l - 1] + 1;
            }
            foreach (ref FannConnection connection in connections.AsSpan())
            {
                int layer = firstNeuron.Length - 1;
                while (firstNeuron[layer] > connection.ToNeuron)
                {
                    layer--;
                }
                int j = (int)(connection.ToNeuron - firstNeuron[layer]);
                int i = (int)(connection.FromNeuron - firstNeuron[layer - 1]);
                LayerInfo info = layers[layer - 1];
                connection.Weight = i == (int)sizes[layer - 1]
                    ? parameters[info.BiasesOffset + j]
                    : parameters[info.WeightsOffset + j * (int)sizes[layer - 1] + i];
            }
            fann_set_weight_array(_ann, pointer, count);
        }
    }

    /// <summary>Trains <paramref name="epochs"/> epochs with FANN's own loop (fann_train_on_data, no reports, no early stop).</summary>
    public void Train(int epochs) => fann_train_on_data(_ann, _data, (uint)epochs, 0, 0f);

    /// <summary>One epoch (fann_train_epoch); returns FANN's mean squared error over it.</summary>
    public float TrainEpoch() => fann_train_epoch(_ann, _data);

    /// <summary>FANN's mean squared error over the last epoch trained (fann_get_MSE).</summary>
    public float MeanSquaredError => fann_get_MSE(_ann);

    /// <summary>FANN's outputs for <paramref name="input"/>.</summary>
    public unsafe float[] Run(float[] input, int outputSize)
    {
        fixed (float* inputPointer = input)
        {
            float* output = fann_run(_ann, inputPointer);
            return new ReadOnlySpan<float>(output, outputSize).ToArray();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_data != 0)
        {
            fann_destroy_train(_data);
            _data = 0;
        }
        if (_ann != 0)
        {
            fann_destroy(_ann);
            _ann = 0;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct FannConnection
    {
        public uint FromNeuron;
        public uint ToNeuron;
        public float Weight;
    }

    [LibraryImport(Library)]
    private static unsafe partial nint fann_create_standard_array(uint numLayers, uint* layers);

    [LibraryImport(Library)]
    private static partial void fann_destroy(nint ann);

    [LibraryImport(Library)]
    private static partial void fann_set_activation_function_hidden(nint ann, int function);

    [LibraryImport(Library)]
    private static partial void fann_set_activation_function_output(nint ann, int function);

    [LibraryImport(Library)]
    private static partial void fann_set_activation_steepness_hidden(nint ann, float steepness);

    [LibraryImport(Library)]
    private static partial void fann_set_activation_steepness_output(nint ann, float steepness);

    [LibraryImport(Library)]
    private static partial void fann_set_train_error_function(nint ann, int function);

    [LibraryImport(Library)]
    private static partial void fann_set_training_algorithm(nint ann, int algorithm);

    [LibraryImport(Library)]
    private static partial void fann_set_learning_rate(nint ann, float learningRate);

    [LibraryImport(Library)]
    private static partial uint fann_get_total_connections(nint ann);

    [LibraryImport(Library)]
    private static unsafe partial void fann_get_connection_array(nint ann, FannConnection* connections);

    [LibraryImport(Library)]
    private static unsafe partial void fann_set_weight_array(nint ann, FannConnection* connections, uint count);

    [LibraryImport(Library)]
    private static partial nint fann_create_train(uint numData, uint numInput, uint numOutput);

    [LibraryImport(Library)]
    private static partial void fann_destroy_train(nint data);

    [LibraryImport(Library)]
    private static partial void fann_train_on_data(nint ann, nint data, uint maxEpochs, uint epochsBetweenReports, float desiredError);

    [LibraryImport(Library)]
    private static partial float fann_train_epoch(nint ann, nint data);

    [LibraryImport(Library)]
    private static partial float fann_get_MSE(nint ann);

    [LibraryImport(Library)]
    private static unsafe partial float* fann_run(nint ann, float* input);
}
