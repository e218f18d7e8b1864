namespace NetGen.Generator;

/// <summary>
/// One <c>[Network]</c> class as the pipeline's first step sees it: what the parser made of it, the stand-in to emit
/// when its declaration has an error (<see cref="FallbackModel"/>), and whether a weights file it cannot use is only a
/// warning (<c>WeightsOptional</c>).
/// </summary>
internal sealed record ParsedNetwork(ParseResult Result, FallbackModel? Fallback, bool WeightsOptional);
