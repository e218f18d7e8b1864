using System.Buffers.Binary;
using Onnx;

namespace NetGen.Onnx.Reading;

/// <summary>The values of ONNX tensors (initializers and constants), whichever field the exporter stored them in.</summary>
internal static class OnnxTensors
{
    /// <summary>The tensor's dimensions.</summary>
    public static int[] Shape(TensorProto tensor) => tensor.Dims.Select(d => checked((int)d)).ToArray();

    /// <summary>The number of values the tensor's dimensions call for (1 for a scalar).</summary>
    public static long Count(TensorProto tensor) => tensor.Dims.Aggregate(1L, (product, d) => product * d);

    /// <summary>The values of a float tensor, row-major.</summary>
    /// <exception cref="InvalidDataException">The tensor is not float, its data is stored outside the file, or it holds another number of values than its shape.</exception>
    public static float[] Floats(TensorProto tensor)
    {
        CheckInline(tensor);
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new InvalidDataException($"Tensor '{tensor.Name}' has the element type {(TensorProto.Types.DataType)tensor.DataType}; expected Float.");
        }
        long count = Count(tensor);
        float[] values;
        if (!tensor.RawData.IsEmpty)
        {
            ReadOnlySpan<byte> raw = tensor.RawData.Span;
            CheckCount(tensor, raw.Length / 4, count, raw.Length % 4 != 0);
            values = new float[count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(4 * i, 4));
            }
        }
        else
        {
            CheckCount(tensor, tensor.FloatData.Count, count, false);
            values = tensor.FloatData.ToArray();
        }
        return values;
    }

    /// <summary>The values of an int64 tensor (a Reshape's shape, a ReduceMean's axes).</summary>
    /// <exception cref="InvalidDataException">The tensor is not int64, its data is stored outside the file, or it holds another number of values than its shape.</exception>
    public static long[] Int64s(TensorProto tensor)
    {
        CheckInline(tensor);
        if (tensor.DataType != (int)TensorProto.Types.DataType.Int64)
        {
            throw new InvalidDataException($"Tensor '{tensor.Name}' has the element type {(TensorProto.Types.DataType)tensor.DataType}; expected Int64.");
        }
        long count = Count(tensor);
        if (!tensor.RawData.IsEmpty)
        {
            ReadOnlySpan<byte> raw = tensor.RawData.Span;
            CheckCount(tensor, raw.Length / 8, count, raw.Length % 8 != 0);
            var values = new long[count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadInt64LittleEndian(raw.Slice(8 * i, 8));
            }
            return values;
        }
        CheckCount(tensor, tensor.Int64Data.Count, count, false);
        return tensor.Int64Data.ToArray();
    }

    private static void CheckInline(TensorProto tensor)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new InvalidDataException($"Tensor '{tensor.Name}' is stored in an external data file; save the model with its weights inside the .onnx file.");
        }
    }

    private static void CheckCount(TensorProto tensor, long found, long expected, bool partial)
    {
        if (found != expected || partial)
        {
            throw new InvalidDataException(
                $"Tensor '{tensor.Name}' of shape [{string.Join(", ", tensor.Dims)}] should hold {expected} values; its data holds {found}{(partial ? " and a partial one" : "")}.");
        }
    }
}
