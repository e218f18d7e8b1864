namespace NetGen;

/// <summary>The kind of penalty a <see cref="Regularization"/> adds to the cost.</summary>
public enum PenaltyKind
{
    /// <summary>lambda/(2m) sum |theta|: pushes weights to exactly zero (sparse weights).</summary>
    L1 = 1,

    /// <summary>lambda/(2m) sum theta^2 (weight decay): keeps weights small.</summary>
    L2 = 2,
}
