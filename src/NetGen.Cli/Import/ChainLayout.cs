namespace NetGen.Cli.Import;

/// <summary>How the chain's tensor lays out a sequence around a recurrent layer, torch.onnx.export's way.</summary>
internal enum ChainLayout
{
    /// <summary>Batch first, as NetGen reads every shape: [batch, steps, features], [batch, features]...</summary>
    BatchFirst,

    /// <summary>A sequence transposed for ONNX's recurrent operators: [steps, batch, features].</summary>
    TimeFirst,

    /// <summary>A recurrent operator's Y: [steps, directions, batch, units].</summary>
    RecurrentSequence,

    /// <summary>A recurrent operator's Y_h: [directions, batch, units].</summary>
    RecurrentState,
}
