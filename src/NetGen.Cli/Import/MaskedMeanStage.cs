namespace NetGen.Cli.Import;

/// <summary>How far the chain has gone through a padding-masked mean after an embedding.</summary>
internal enum MaskedMeanStage
{
    /// <summary>Not inside a masked mean.</summary>
    None,

    /// <summary>The embedding's rows multiplied by the mask of the tokens that are not padding.</summary>
    Masked,

    /// <summary>Those rows summed over the steps; the division by the count follows.</summary>
    Summed,
}
