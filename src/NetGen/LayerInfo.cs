namespace NetGen;

/// <summary>
/// Describes one layer of a generated network and where its parameters sit in the flat parameter vector.
/// The weights of a dense layer are stored row-major, one row per unit: the weight from input i into unit j
/// is at <c>WeightsOffset + j * InputSize + i</c>; the bias of unit j is at <c>BiasesOffset + j</c>.
/// </summary>
/// <param name="Kind">The kind of layer.</param>
/// <param name="InputSize">The number of values the layer reads.</param>
/// <param name="OutputSize">The number of units (values the layer writes).</param>
/// <param name="Activation">The activation applied to each unit's weighted sum.</param>
/// <param name="WeightsOffset">The index of the layer's first weight in the parameter vector.</param>
/// <param name="BiasesOffset">The index of the layer's first bias in the parameter vector.</param>
public readonly record struct LayerInfo(
    LayerKind Kind,
    int InputSize,
    int OutputSize,
    Activation Activation,
    int WeightsOffset,
    int BiasesOffset)
{
    /// <summary>The number of weights of the layer (<see cref="InputSize"/> times <see cref="OutputSize"/>).</summary>
    public int WeightCount => InputSize * OutputSize;
}
