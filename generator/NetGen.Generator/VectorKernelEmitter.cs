using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// Emits the SIMD helpers the looped layers call: a dot product and a multiply-add, each specialized for one length.
/// Every width the length can use gets its own branch behind <c>IsHardwareAccelerated</c>; the JIT keeps the widest
/// branch the machine runs and drops the others, and the scalar tail appears only when the length needs one.
/// </summary>
internal sealed class VectorKernelEmitter
{
    private static readonly (string Type, int Lanes)[] Widths = { ("Vector512", 16), ("Vector256", 8), ("Vector128", 4) };

    private readonly SortedSet<int> _dotLengths = new();
    private readonly SortedSet<int> _multiplyAddLengths = new();

    /// <summary>Asks for a dot product of <paramref name="length"/> floats and returns the helper's name.</summary>
    public string Dot(int length)
    {
        _dotLengths.Add(length);
        return "Dot" + length;
    }

    /// <summary>Asks for destination += scale * source over <paramref name="length"/> floats and returns the helper's name.</summary>
    public string MultiplyAdd(int length)
    {
        _multiplyAddLengths.Add(length);
        return "MultiplyAdd" + length;
    }

    public bool IsEmpty => _dotLengths.Count == 0 && _multiplyAddLengths.Count == 0;

    public void Emit(IndentedWriter writer)
    {
        foreach (int length in _dotLengths)
        {
            EmitDot(writer, length);
        }
        foreach (int length in _multiplyAddLengths)
        {
            EmitMultiplyAdd(writer, length);
        }
    }

    private static IEnumerable<(string Type, int Lanes)> WidthsFor(int length) => Widths.Where(w => w.Lanes <= length);

    private static void EmitDot(IndentedWriter writer, int length)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>The dot product of the {length} floats at <paramref name=\"a\"/> and <paramref name=\"b\"/>, as many lanes at a time as the hardware has.</summary>");
        writer.WriteLine("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        using (writer.Block($"private static float Dot{length}(ref float a, ref float b)"))
        {
            foreach (var (type, lanes) in WidthsFor(length))
            {
                int vectorEnd = length - length % lanes;
                using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    writer.WriteLine($"{type}<float> sum = {type}<float>.Zero;");
                    using (writer.Block($"for (nuint i = 0; i < {vectorEnd}; i += {lanes})"))
                    {
                        writer.WriteLine($"sum = {type}.MultiplyAddEstimate({type}.LoadUnsafe(ref a, i), {type}.LoadUnsafe(ref b, i), sum);");
                    }
                    if (vectorEnd == length)
                    {
                        writer.WriteLine($"return {type}.Sum(sum);");
                    }
                    else
                    {
                        writer.WriteLine($"float result = {type}.Sum(sum);");
                        EmitScalarDotLoop(writer, vectorEnd, length);
                        writer.WriteLine("return result;");
                    }
                }
                writer.WriteLine();
            }
            writer.WriteLine("float total = 0f;");
            EmitScalarDotLoop(writer, 0, length, "total");
            writer.WriteLine("return total;");
        }
    }

    private static void EmitScalarDotLoop(IndentedWriter writer, int start, int end, string accumulator = "result")
    {
        using (writer.Block($"for (nuint i = {start}; i < {end}; i++)"))
        {
            writer.WriteLine($"{accumulator} += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);");
        }
    }

    private static void EmitMultiplyAdd(IndentedWriter writer, int length)
    {
        writer.WriteLine();
        writer.WriteLine($"/// <summary>destination[i] += scale * source[i] for the {length} floats at each, as many lanes at a time as the hardware has.</summary>");
        writer.WriteLine("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        using (writer.Block($"private static void MultiplyAdd{length}(float scale, ref float source, ref float destination)"))
        {
            foreach (var (type, lanes) in WidthsFor(length))
            {
                int vectorEnd = length - length % lanes;
                using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
                {
                    writer.WriteLine($"{type}<float> factor = {type}.Create(scale);");
                    using (writer.Block($"for (nuint i = 0; i < {vectorEnd}; i += {lanes})"))
                    {
                        writer.WriteLine($"{type}.MultiplyAddEstimate(factor, {type}.LoadUnsafe(ref source, i), {type}.LoadUnsafe(ref destination, i)).StoreUnsafe(ref destination, i);");
                    }
                    if (vectorEnd != length)
                    {
                        EmitScalarMultiplyAddLoop(writer, vectorEnd, length);
                    }
                    writer.WriteLine("return;");
                }
                writer.WriteLine();
            }
            EmitScalarMultiplyAddLoop(writer, 0, length);
        }
    }

    private static void EmitScalarMultiplyAddLoop(IndentedWriter writer, int start, int end)
    {
        using (writer.Block($"for (nuint i = {start}; i < {end}; i++)"))
        {
            writer.WriteLine("Unsafe.Add(ref destination, i) += scale * Unsafe.Add(ref source, i);");
        }
    }
}
