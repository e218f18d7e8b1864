namespace NetGen;

// The runtime-only half of ShapeFingerprint: the overloads that take the runtime's types.
public static partial class ShapeFingerprint
{
    /// <summary>The fingerprint of the generated network <typeparamref name="TNetwork"/>, computed once per type.</summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    public static ulong Of<TNetwork>() where TNetwork : INetwork<TNetwork> => Cache<TNetwork>.Value;

    /// <summary>Computes the fingerprint of a network with <paramref name="inputSize"/> input values and the given layer table.</summary>
    /// <param name="inputSize">The number of input values.</param>
    /// <param name="layers">The layers from input to output, as in <see cref="INetwork{TSelf}.Layers"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> is null.</exception>
    public static ulong Compute(int inputSize, IReadOnlyList<LayerInfo> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var codes = new int[layers.Count][];
        for (int i = 0; i < codes.Length; i++)
        {
            LayerInfo layer = layers[i];
            int[] code = new int[4 + layer.Arguments.Count];
            code[0] = (int)layer.Kind;
            code[1] = layer.InputSize;
            code[2] = layer.OutputSize;
            code[3] = (int)layer.Activation;
            for (int a = 0; a < layer.Arguments.Count; a++)
            {
                code[4 + a] = layer.Arguments[a];
            }
            codes[i] = code;
        }
        return Compute(inputSize, codes);
    }

    private static class Cache<TNetwork> where TNetwork : INetwork<TNetwork>
    {
        public static readonly ulong Value = Compute(TNetwork.InputSize, TNetwork.Layers);
    }
}
