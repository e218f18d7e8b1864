namespace NetGen.CodeFixes;

/// <summary>
/// The ids of the generator's diagnostics that this assembly fixes. Plain strings: the code fixes depend on nothing of
/// the generator's but these ids and the documented locations of the diagnostics (docs/diagnostics.md).
/// </summary>
internal static class DiagnosticIds
{
    /// <summary>Network class must be partial; reported at the class's identifier.</summary>
    public const string NotPartial = "NG0001";

    /// <summary>Loss does not fit the output layer; reported at the <c>Loss = ...</c> argument of <c>[Network]</c>.</summary>
    public const string LossDoesNotFitOutput = "NG0010";
}
