namespace NetGen.Generator;

/// <summary>What the emitter needs for one network: its model and, when it declares compiled-in weights that check out, their bits.</summary>
internal sealed record EmissionModel(NetworkModel Network, EquatableArray<int> CompiledParameterBits);
