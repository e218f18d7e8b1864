using Google.Protobuf;
using NetGen.Onnx.Export;
using Onnx;

namespace NetGen.Onnx;

/// <summary>
/// Writes a NetGen network as an ONNX model (opset <see cref="OpsetVersion"/>), for ONNX Runtime, Netron or any other
/// ONNX consumer. The model has one float input named <see cref="InputName"/> of shape [batch, ...input shape] and
/// one float output named <see cref="OutputName"/> of shape [batch, ...output shape], the batch dimension symbolic;
/// the network's parameters are the model's initializers, in PyTorch's layouts (a recurrent layer's as ONNX's W, R and
/// B, its gate blocks in ONNX's order). An embedding reads the float input's token ids cast to int64.
/// </summary>
/// <example>
/// <code>
/// OnnxExport.Save(trainedNet, "digits.onnx");
/// // Python: onnxruntime.InferenceSession("digits.onnx").run(["output"], {"input": x})
/// </code>
/// </example>
public static class OnnxExport
{
    /// <summary>The name of the model's input tensor.</summary>
    public const string InputName = "input";

    /// <summary>The name of the model's output tensor.</summary>
    public const string OutputName = "output";

    /// <summary>The version of the default ONNX operator set the model is written for.</summary>
    public const int OpsetVersion = 17;

    /// <summary>The name of the symbolic batch dimension of the input and output.</summary>
    public const string BatchDimension = "batch";

    /// <summary>The ONNX IR version that goes with opset 17 (ONNX 1.12).</summary>
    private const long IrVersion = 8;

    /// <summary>Writes <paramref name="network"/> as an ONNX model to <paramref name="path"/>, atomically.</summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network whose layers and parameters are written.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="ArgumentException">The network's parameter vector does not have the network's parameter count.</exception>
    /// <exception cref="NotSupportedException">The network has a layer kind or activation that ONNX export does not cover; the message names it.</exception>
    /// <exception cref="IOException">
    /// The file could not be written (also <see cref="UnauthorizedAccessException"/> and <see cref="DirectoryNotFoundException"/>).
    /// Whatever is thrown, its message names <paramref name="path"/>, an existing file there is unchanged and no temporary file is left.
    /// </exception>
    public static void Save<TNetwork>(TNetwork network, string path) where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] model = ToBytes(network);
        AtomicFile.Write(path, stream => stream.Write(model, 0, model.Length));
    }

    /// <summary>Writes <paramref name="network"/> as an ONNX model to <paramref name="stream"/>, from its current position.</summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network whose layers and parameters are written.</param>
    /// <param name="stream">A writable stream; it is left open, just after the model.</param>
    /// <exception cref="ArgumentException">The network's parameter vector does not have the network's parameter count.</exception>
    /// <exception cref="NotSupportedException">The network has a layer kind or activation that ONNX export does not cover; the message names it.</exception>
    public static void Save<TNetwork>(TNetwork network, Stream stream) where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] model = ToBytes(network);
        stream.Write(model, 0, model.Length);
    }

    /// <summary>The bytes of the ONNX model (a serialized onnx.ModelProto) for <paramref name="network"/>.</summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    /// <param name="network">The network whose layers and parameters are written.</param>
    /// <exception cref="ArgumentException">The network's parameter vector does not have the network's parameter count.</exception>
    /// <exception cref="NotSupportedException">The network has a layer kind or activation that ONNX export does not cover; the message names it.</exception>
    public static byte[] ToBytes<TNetwork>(TNetwork network) where TNetwork : class, INetwork<TNetwork>
    {
        ArgumentNullException.ThrowIfNull(network);
        float[] parameters = network.Parameters;
        if (parameters is null || parameters.Length != TNetwork.ParameterCount)
        {
            throw new ArgumentException(
                $"{typeof(TNetwork).Name}.Parameters holds {parameters?.Length ?? 0} values; the network has {TNetwork.ParameterCount} parameters.", nameof(network));
        }
        GraphProto graph = OnnxGraphWriter.Write(typeof(TNetwork).Name, TNetwork.Layers, parameters);
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "NetGen",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString(3) ?? "0",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        return model.ToByteArray();
    }
}
