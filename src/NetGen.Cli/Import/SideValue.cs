namespace NetGen.Cli.Import;

/// <summary>What a side computation's result is: for the token kinds, <see cref="PaddingId"/> is the id compared with.</summary>
internal readonly record struct SideValue(SideKind Kind, long PaddingId = 0)
{
    /// <summary>Whether the value is computed from the token ids.</summary>
    public bool IsTokenDerived => Kind is not (SideKind.ShapeDerived or SideKind.ZeroState);
}
