using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// The inner loops of a recurrent cell, with every size a constant: the gate sums as row-blocked matrix-vector products
/// (eight or four rows of a weight matrix against one read of the vector, their sums stored as whole vectors where the
/// hardware allows), and the gates' nonlinearities fused with the state update, as many units at a time as the
/// hardware has (every width the unit count can use, widest first, then a scalar tail for the units left).
/// </summary>
internal static class RecurrentKernelEmitter
{
    private static readonly (string Type, int Lanes)[] Widths = { ("Vector512", 16), ("Vector256", 8), ("Vector128", 4) };

    /// <summary>
    /// Writes target[j] = bias[j] + row j of matrix . vector for j &lt; <paramref name="rows"/>, every name a
    /// <c>ref float</c> in scope; the rows are <paramref name="length"/> floats long.
    /// </summary>
    public static void EmitAffine(IndentedWriter writer, VectorKernelEmitter kernels, int rows, int length, string matrix, string bias, string vector, string target)
    {
        int done = 0;
        foreach (int block in new[] { 2 * VectorKernelEmitter.RowBlock, VectorKernelEmitter.RowBlock })
        {
            int end = done + (rows - done) / block * block;
            if (end == done)
            {
                continue;
            }
            using (writer.Block($"for (int j = {done}; j < {end}; j += {block})"))
            {
                if (VectorKernelEmitter.StoresWholeSums(length, block))
                {
                    writer.WriteLine($"{kernels.AffineRows(length, block)}(ref Unsafe.Add(ref {matrix}, j * {length}), ref {vector}, ref Unsafe.Add(ref {bias}, j), ref Unsafe.Add(ref {target}, j));");
                }
                else
                {
                    string outs = string.Join(", ", Enumerable.Range(0, block).Select(r => $"out float sum{r}"));
                    writer.WriteLine($"{kernels.DotRows(length, block)}(ref Unsafe.Add(ref {matrix}, j * {length}), ref {vector}, {outs});");
                    for (int r = 0; r < block; r++)
                    {
                        writer.WriteLine($"Unsafe.Add(ref {target}, j + {r}) = Unsafe.Add(ref {bias}, j + {r}) + sum{r};");
                    }
                }
            }
            done = end;
        }
        if (done < rows)
        {
            using (writer.Block($"for (int j = {done}; j < {rows}; j++)"))
            {
                writer.WriteLine($"Unsafe.Add(ref {target}, j) = Unsafe.Add(ref {bias}, j) + {kernels.Dot(length)}(ref Unsafe.Add(ref {matrix}, j * {length}), ref {vector});");
            }
        }
    }

    /// <summary>
    /// Writes a loop over the <paramref name="units"/> units, k from 0: for each vector width the hardware has (widest
    /// first) as many whole vectors as fit, then one unit at a time. <paramref name="vectorBody"/> writes the body for
    /// a vector type (k is the first unit of the vector, a <c>nuint</c>); <paramref name="scalarBody"/> the body for one unit.
    /// </summary>
    public static void EmitUnitLoop(IndentedWriter writer, int units, System.Action<string> vectorBody, System.Action scalarBody)
    {
        writer.WriteLine("nuint k = 0;");
        foreach (var (type, lanes) in Widths.Where(w => w.Lanes <= units))
        {
            using (writer.Block($"if ({type}.IsHardwareAccelerated)"))
            {
                using (writer.Block($"for (; k <= {units - lanes}; k += {lanes})"))
                {
                    vectorBody(type);
                }
            }
        }
        // The units no vector took: those past the narrowest vectors, or all of them without hardware vectors.
        using (writer.Block($"for (; k < {units}; k++)"))
        {
            scalarBody();
        }
    }

    /// <summary>A load of one vector of <paramref name="type"/> at k + <paramref name="offset"/> from the <c>ref float</c> <paramref name="source"/>.</summary>
    public static string Load(string type, string source, int offset)
        => $"{type}.LoadUnsafe(ref {source}, k{(offset == 0 ? "" : $" + {offset}")})";

    /// <summary>A store of <paramref name="value"/> at k + <paramref name="offset"/> into the <c>ref float</c> <paramref name="target"/>.</summary>
    public static string Store(string value, string target, int offset)
        => $"({value}).StoreUnsafe(ref {target}, k{(offset == 0 ? "" : $" + {offset}")});";

    /// <summary>The float at k + <paramref name="offset"/> of the <c>ref float</c> <paramref name="source"/>, to read or assign.</summary>
    public static string At(string source, int offset)
        => $"Unsafe.Add(ref {source}, k{(offset == 0 ? "" : $" + {offset}")})";
}
