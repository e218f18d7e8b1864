// This file is compiled into both the runtime and the generator (linked), so the two cannot drift.
namespace NetGen;

/// <summary>The kind of a layer in a declared network.</summary>
public enum LayerKind
{
    /// <summary>A fully connected layer: z = W x + b, a = activation(z).</summary>
    Dense = 0,
}
