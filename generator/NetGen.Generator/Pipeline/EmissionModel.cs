namespace NetGen.Generator;

/// <summary>What the emitter needs for one network: its model, and whether compiled-in weights that check out are emitted beside it (CompiledWeightsEmitter).</summary>
internal sealed record EmissionModel(NetworkModel Network, bool HasCompiledWeights);
