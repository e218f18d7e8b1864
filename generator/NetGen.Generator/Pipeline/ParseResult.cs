namespace NetGen.Generator;

/// <summary>What the parser makes of one <c>[Network]</c> class: a model when it can be generated, and diagnostics.</summary>
internal sealed record ParseResult(NetworkModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo? WeightsLocation = null);
