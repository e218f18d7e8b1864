// This file is compiled into both the runtime and the generator (linked), so the two cannot drift.
namespace NetGen;

/// <summary>What a block of a layer's parameters is for; regularization and initialization choose blocks by it.</summary>
public enum ParameterRole
{
    /// <summary>Weights that multiply the layer's input: a dense layer's matrix, a convolution's kernels.</summary>
    Weight = 0,

    /// <summary>Values added to each unit's or filter's weighted sum.</summary>
    Bias = 1,

    /// <summary>Weights that multiply a recurrent layer's previous state.</summary>
    RecurrentWeight = 2,

    /// <summary>A table of vectors, one row per token, read by lookup.</summary>
    Embedding = 3,
}
