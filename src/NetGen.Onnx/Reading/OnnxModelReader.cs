using Google.Protobuf;
using Onnx;

namespace NetGen.Onnx.Reading;

/// <summary>Reads an ONNX model file into its protobuf message, with errors that name the file.</summary>
internal static class OnnxModelReader
{
    /// <summary>The model in <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model (not a ModelProto, or one without a graph).</exception>
    public static ModelProto Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"There is no ONNX model at '{path}'.", path);
        }
        return Read(File.ReadAllBytes(path), $"'{path}'");
    }

    /// <summary>The model in <paramref name="bytes"/>; <paramref name="source"/> names them in messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model (not a ModelProto, or one without a graph).</exception>
    public static ModelProto Read(byte[] bytes, string source)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new InvalidDataException($"{source} is not an ONNX model: its bytes are not a valid onnx.ModelProto ({error.Message}).", error);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
        {
            throw new InvalidDataException($"{source} is not an ONNX model with a graph: it has no nodes (ir_version {model.IrVersion}).");
        }
        return model;
    }

    /// <summary>The version of the default ("" or "ai.onnx") operator set the model imports, or 0 when it imports none.</summary>
    public static long DefaultOpset(ModelProto model)
    {
        foreach (OperatorSetIdProto opset in model.OpsetImport)
        {
            if (opset.Domain is "" or "ai.onnx")
            {
                return opset.Version;
            }
        }
        return 0;
    }
}
