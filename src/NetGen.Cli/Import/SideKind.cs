namespace NetGen.Cli.Import;

/// <summary>The kinds of values a side computation writes.</summary>
internal enum SideKind
{
    /// <summary>Computed from the input's shape: a size, a shape.</summary>
    ShapeDerived,

    /// <summary>Zeros of a shape computed from the input's (a recurrent layer's initial state), or a slice of them.</summary>
    ZeroState,

    /// <summary>ids == p, bool [batch, steps].</summary>
    IsPadding,

    /// <summary>ids != p, bool [batch, steps].</summary>
    IsToken,

    /// <summary>ids != p as 1 or 0, float [batch, steps].</summary>
    TokenMask,

    /// <summary>The token mask as a column, float [batch, steps, 1].</summary>
    TokenColumn,

    /// <summary>The number of tokens that are not padding, float [batch, 1].</summary>
    TokenCount,

    /// <summary>That number, at least 1, float [batch, 1].</summary>
    TokenCountAtLeastOne,

    /// <summary>Anything else computed from the token ids.</summary>
    OtherTokenDerived,
}
