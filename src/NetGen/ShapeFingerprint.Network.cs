namespace NetGen;

// The runtime-only half of ShapeFingerprint: the overloads that take the runtime's types.
public static partial class ShapeFingerprint
{
    /// <summary>The fingerprint of the generated network <typeparamref name="TNetwork"/>, computed once per type.</summary>
    /// <typeparam name="TNetwork">The generated network class.</typeparam>
    public static ulong Of<TNetwork>() where TNetwork : INetwork<TNetwork> => Cache<TNetwork>.Value;

    /// <summary>Computes the fingerprint of a network with <paramref name="inputSize"/> inputs and the given layer table.</summary>
    /// <param name="inputSize">The number of input features.</param>
    /// <param name="layers">The layers from input to output, as in <see cref="INetwork{TSelf}.Layers"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> is null.</exception>
    public static ulong Compute(int inputSize, IReadOnlyList<LayerInfo> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var shape = new (int Kind, int InputSize, int OutputSize, int Activation)[layers.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            LayerInfo layer = layers[i];
            shape[i] = ((int)layer.Kind, layer.InputSize, layer.OutputSize, (int)layer.Activation);
        }
        return Compute(inputSize, shape);
    }

    private static class Cache<TNetwork> where TNetwork : INetwork<TNetwork>
    {
        public static readonly ulong Value = Compute(TNetwork.InputSize, TNetwork.Layers);
    }
}
