namespace NetGen.Generator;

/// <summary>
/// A weights file among the compilation's additional files, read and checked: its parameters as the bits of each
/// float, or why it cannot be used.
/// </summary>
internal sealed record WeightsFileModel(string FileName, string? Error, int ParameterCount, ulong Fingerprint, EquatableArray<int> ParameterBits, EquatableArray<int> StandardizerBits);
