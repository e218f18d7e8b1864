namespace NetGen;

/// <summary>
/// Declares a fully connected layer: every unit j computes z_j = b_j + sum_i W_ji x_i over the previous layer's
/// outputs x, then a_j = activation(z_j).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>Declares a dense layer of <paramref name="units"/> units.</summary>
    /// <param name="units">The number of units (outputs) of the layer; at least 1.</param>
    /// <param name="activation">The activation applied to each unit's weighted sum.</param>
    public DenseAttribute(int units, Activation activation = Activation.Identity)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>The number of units (outputs) of the layer.</summary>
    public int Units { get; }

    /// <summary>The activation applied to each unit's weighted sum.</summary>
    public Activation Activation { get; }

    /// <summary>
    /// The dropout rate p in [0, 1): while training, each of the layer's outputs is zeroed with probability p and the
    /// others are scaled by 1 / (1 - p) (inverted dropout), so that <c>Predict</c>, which never drops, needs no
    /// rescaling. Hidden layers only. The default 0 turns dropout off.
    /// </summary>
    public float Dropout { get; set; }
}
