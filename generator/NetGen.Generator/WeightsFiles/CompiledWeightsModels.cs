namespace NetGen.Generator;

// The values the compiled-in weights travel in through the pipeline: plain data, compared by value.

/// <summary>
/// An additional file of the compilation: its name, and what reading it as a weights file gave when some network names
/// it (null otherwise: a file no network names is never read).
/// </summary>
internal sealed record AdditionalFileModel(string FileName, WeightsFileModel? Weights);

/// <summary>The weights compiled into one network, emitted into a file of their own (<see cref="CompiledWeightsEmitter"/>).</summary>
internal sealed record CompiledWeightsModel(TypeHierarchy Type, string FileName, EquatableArray<int> ParameterBits);
