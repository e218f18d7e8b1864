namespace NetGen.Onnx;

/// <summary>
/// The gate blocks of a recurrent layer's parameters in ONNX's order and in PyTorch's (NetGen's): ONNX's LSTM is
/// i, o, f, c where PyTorch's is i, f, g, o; ONNX's GRU is z, r, h where PyTorch's is r, z, n; a simple RNN has one.
/// The exporter and the importer convert through the same table.
/// </summary>
internal static class RecurrentGateOrder
{
    /// <summary>For each gate block in ONNX's order, the index of the same gate in PyTorch's order.</summary>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not a recurrent layer kind.</exception>
    public static int[] PyTorchBlockOfOnnxBlock(LayerKind kind) => kind switch
    {
        LayerKind.SimpleRnn => [0],
        LayerKind.Lstm => [0, 3, 1, 2],
        LayerKind.Gru => [1, 0, 2],
        _ => throw new ArgumentException($"{kind} is not a recurrent layer kind.", nameof(kind)),
    };

    /// <summary>The number of gate blocks of <paramref name="kind"/>: 1, 4 or 3.</summary>
    public static int Gates(LayerKind kind) => PyTorchBlockOfOnnxBlock(kind).Length;

    /// <summary>
    /// <paramref name="pytorch"/> (gate blocks of <paramref name="blockLength"/> values each, PyTorch's order) in
    /// ONNX's order.
    /// </summary>
    public static float[] ToOnnx(LayerKind kind, ReadOnlySpan<float> pytorch, int blockLength)
    {
        int[] order = PyTorchBlockOfOnnxBlock(kind);
        var onnx = new float[pytorch.Length];
        for (int block = 0; block < order.Length; block++)
        {
            pytorch.Slice(order[block] * blockLength, blockLength).CopyTo(onnx.AsSpan(block * blockLength));
        }
        return onnx;
    }

    /// <summary>
    /// <paramref name="onnx"/> (gate blocks of <paramref name="blockLength"/> values each, ONNX's order) in
    /// PyTorch's order.
    /// </summary>
    public static float[] ToPyTorch(LayerKind kind, ReadOnlySpan<float> onnx, int blockLength)
    {
        int[] order = PyTorchBlockOfOnnxBlock(kind);
        var pytorch = new float[onnx.Length];
        for (int block = 0; block < order.Length; block++)
        {
            onnx.Slice(block * blockLength, blockLength).CopyTo(pytorch.AsSpan(order[block] * blockLength));
        }
        return pytorch;
    }
}
