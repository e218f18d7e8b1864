namespace NetGen.Onnx.Export;

/// <summary>The exporter of each layer kind.</summary>
internal static class LayerExporters
{
    private static readonly DenseExporter Dense = new();
    private static readonly Conv2DExporter Conv2D = new();
    private static readonly Pool2DExporter MaxPool2D = new("MaxPool");
    private static readonly Pool2DExporter AveragePool2D = new("AveragePool");
    private static readonly FlattenExporter Flatten = new();
    private static readonly GlobalAveragePoolExporter GlobalAveragePool = new();
    private static readonly RecurrentExporter SimpleRnn = new("RNN");
    private static readonly RecurrentExporter Lstm = new("LSTM");
    private static readonly RecurrentExporter Gru = new("GRU");
    private static readonly EmbeddingExporter Embedding = new();

    /// <summary>The exporter for layers of <paramref name="kind"/>.</summary>
    /// <exception cref="NotSupportedException">No exporter covers <paramref name="kind"/> yet.</exception>
    public static ILayerExporter For(LayerKind kind) => kind switch
    {
        LayerKind.Dense => Dense,
        LayerKind.Conv2D => Conv2D,
        LayerKind.MaxPool2D => MaxPool2D,
        LayerKind.AveragePool2D => AveragePool2D,
        LayerKind.Flatten => Flatten,
        LayerKind.GlobalAveragePool => GlobalAveragePool,
        LayerKind.SimpleRnn => SimpleRnn,
        LayerKind.Lstm => Lstm,
        LayerKind.Gru => Gru,
        LayerKind.Embedding => Embedding,
        _ => throw new NotSupportedException($"ONNX export does not cover {kind} layers yet."),
    };
}
