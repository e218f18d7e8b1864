// This file is meant to be compiled into both the runtime (net10.0) and the generator (netstandard2.0, linked), so
// that the fingerprint a weights file carries and the one the generator checks at compile time cannot drift. Keep it
// to plain loops and integers: no Span, no BinaryPrimitives, no System.IO.Hashing, no implicit usings.
using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// The 64-bit fingerprint of a network's shape that NetGen's weights and checkpoint files carry, so that parameters
/// are never loaded into a network they were not trained for. It covers what gives the parameter vector its meaning:
/// the input size and, per layer, the kind, input size, output size, activation and declared arguments (a
/// convolution's input shape, filters, kernel, stride and padding...). It does not cover the loss (the
/// same parameters can be evaluated or fine-tuned with another loss) nor the unroll threshold (code generation only).
/// </summary>
/// <remarks>
/// The fingerprint is 64-bit FNV-1a (offset basis 0xcbf29ce484222325, prime 0x100000001b3) over a sequence of 32-bit
/// signed integers, each fed as its four bytes in little-endian order: the input size, the number of layers, then for
/// every layer from input to output its kind, input size, output size and activation (the numeric values of
/// <see cref="LayerKind"/> and <see cref="Activation"/>), then its arguments: none for a dense layer, so a network of
/// dense layers has the fingerprint it had before layers had shapes. docs/file-format.md shows the computation in full.
/// </remarks>
public static partial class ShapeFingerprint
{
    /// <summary>The FNV-1a 64-bit offset basis.</summary>
    private const ulong OffsetBasis = 0xcbf29ce484222325UL;

    /// <summary>The FNV-1a 64-bit prime.</summary>
    private const ulong Prime = 0x100000001b3UL;

    /// <summary>Computes the fingerprint of a network of dense layers with <paramref name="inputSize"/> inputs.</summary>
    /// <param name="inputSize">The number of input features.</param>
    /// <param name="layers">
    /// The layers from input to output: the numeric value of the layer's <see cref="LayerKind"/>, its input size, its
    /// output size (units) and the numeric value of its <see cref="Activation"/>.
    /// </param>
    /// <returns>The 64-bit FNV-1a hash of the shape, as described on <see cref="ShapeFingerprint"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> is null.</exception>
    internal static ulong Compute(int inputSize, IReadOnlyList<(int Kind, int InputSize, int OutputSize, int Activation)> layers)
    {
        if (layers == null)
        {
            throw new ArgumentNullException(nameof(layers));
        }
        var codes = new int[layers.Count][];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = new[] { layers[i].Kind, layers[i].InputSize, layers[i].OutputSize, layers[i].Activation };
        }
        return Compute(inputSize, codes);
    }

    /// <summary>Computes the fingerprint of a network with <paramref name="inputSize"/> input values and the given layers.</summary>
    /// <param name="inputSize">The number of input values.</param>
    /// <param name="layers">
    /// The layers from input to output, each as its numbers: the numeric value of its <see cref="LayerKind"/>, its input
    /// size, its output size, the numeric value of its <see cref="Activation"/>, then its arguments (none for a dense
    /// layer, whose fingerprint is therefore what it was before layers had shapes).
    /// </param>
    /// <returns>The 64-bit FNV-1a hash of the shape, as described on <see cref="ShapeFingerprint"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> is null.</exception>
    internal static ulong Compute(int inputSize, IReadOnlyList<int[]> layers)
    {
        if (layers == null)
        {
            throw new ArgumentNullException(nameof(layers));
        }
        ulong hash = OffsetBasis;
        hash = Add(hash, inputSize);
        hash = Add(hash, layers.Count);
        for (int i = 0; i < layers.Count; i++)
        {
            foreach (int value in layers[i])
            {
                hash = Add(hash, value);
            }
        }
        return hash;
    }

    /// <summary>Feeds the four little-endian bytes of <paramref name="value"/> into the FNV-1a hash.</summary>
    private static ulong Add(ulong hash, int value)
    {
        unchecked
        {
            uint bits = (uint)value;
            for (int shift = 0; shift < 32; shift += 8)
            {
                hash ^= (bits >> shift) & 0xFFu;
                hash *= Prime;
            }
        }
        return hash;
    }
}
