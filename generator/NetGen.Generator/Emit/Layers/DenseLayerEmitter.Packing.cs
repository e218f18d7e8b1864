namespace NetGen.Generator;

/// <summary>
/// The dense layer's prediction layout. A looped layer too large for the L1 cache reads 8 rows of weights at once in
/// its forward pass; from L2, 8 streams one row apart are slower than one (W2's first layer, 784 -> 128: 2.9 us against
/// 1.7 us, the same arithmetic). In the prediction layout each block of 8 rows is stored chunk by chunk
/// (<see cref="VectorKernelEmitter"/>'s packed kernels, the runtime's <c>RowBlockPacking</c>), so it is read as one.
/// </summary>
internal sealed partial class DenseLayerEmitter
{
    /// <summary>The fewest weights for which the layer packs: 32 KB, the smallest L1 data cache of the machines NetGen targets.</summary>
    private const int PackingThreshold = 8192;

    public override bool PacksForPrediction
        => !_unrolled && Units >= VectorKernelEmitter.PackedRows && _dense.WeightCount >= PackingThreshold;

    /// <summary>Whether the forward pass sums a block of <paramref name="block"/> units with the affine kernel (the activation then runs over the whole span).</summary>
    private bool UsesAffineRows(int block)
        => ActivationCode.Inline(_dense.Activation) == Activation.Identity && VectorKernelEmitter.StoresWholeSums(Inputs, block);

    public override void EmitPacking(IndentedWriter writer)
    {
        string lanes = VectorKernelEmitter.PackingLanes(Inputs, UsesAffineRows(VectorKernelEmitter.PackedRows));
        writer.WriteLine($"// Layer {Number}: its blocks of {VectorKernelEmitter.PackedRows} rows, chunk by chunk, each chunk as wide as the vectors its kernel reads here.");
        writer.WriteLine($"global::NetGen.CompilerServices.RowBlockPacking.Pack(parameters.Slice({NetworkEmitter.KernelsClass}.{WeightsName}, {_dense.WeightCount}), "
            + $"packed.Slice({NetworkEmitter.KernelsClass}.{WeightsName}, {_dense.WeightCount}), rowLength: {Inputs}, rows: {Units}, lanes: {lanes});");
    }

    /// <summary>
    /// The packed blocks of the forward pass, units 0 to <paramref name="end"/>: z for 8 units at a time stored whole, then
    /// the activation, where it is applied unit by unit, over them (the same function of the same z as in the row-major pass).
    /// </summary>
    private void EmitPackedBlocks(IndentedWriter writer, VectorKernelEmitter kernels, string target, int end)
    {
        int block = VectorKernelEmitter.PackedRows;
        string affine = kernels.PackedAffineRows(Inputs, dividingWidths: UsesAffineRows(block));
        writer.WriteLine($"// {block} units at a time: their rows of weights, packed, are read as one stream, against one read of the input.");
        using (writer.Block($"for (int unit = 0; unit < {end}; unit += {block})"))
        {
            writer.WriteLine($"{affine}(ref Unsafe.Add(ref weights, unit * {Inputs}), ref x, ref Unsafe.Add(ref MemoryMarshal.GetReference(biases), unit), ref Unsafe.Add(ref MemoryMarshal.GetReference({target}), unit));");
        }
        Activation inline = ActivationCode.Inline(_dense.Activation);
        if (IsOutput || inline == Activation.Identity)
        {
            return;
        }
        using (writer.Block($"for (int unit = 0; unit < {end}; unit++)"))
        {
            writer.WriteLine($"{target}[unit] = {ActivationCode.Apply(inline, $"{target}[unit]")};");
        }
    }

    public override void EmitPackedForward(IndentedWriter writer, VectorKernelEmitter kernels)
    {
        if (PacksForPrediction)
        {
            EmitForwardMethod(writer, kernels, packed: true);
        }
    }
}
