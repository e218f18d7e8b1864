using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator;

// The model the parser builds and the emitter reads. Every type here is a value: records of primitives, strings,
// enums and EquatableArray, never a symbol, syntax node or compilation, so that an edit which leaves a network's
// declaration as it was produces an equal model and the pipeline stops before emitting.

/// <summary>A declared network: everything the emitter needs.</summary>
internal sealed record NetworkModel(
    TypeHierarchy Type,
    Loss Loss,
    Shape InputShape,
    EquatableArray<LayerModel> Layers,
    int UnrollThreshold,
    string? CustomLossMethod = null,
    string? WeightsFile = null)
{
    public int InputSize => InputShape.Size;

    public int ParameterCount => Layers.Sum(layer => layer.ParameterCount);

    /// <summary>The shape fingerprint weights files carry (the same code as the runtime's, linked).</summary>
    public ulong Fingerprint
    {
        get
        {
            var codes = new List<int[]>();
            foreach (LayerModel layer in Layers)
            {
                codes.Add(new[] { (int)layer.Kind, layer.InputSize, layer.OutputSize, (int)layer.Activation }.Concat(layer.Arguments).ToArray());
            }
            return ShapeFingerprint.Compute(InputSize, codes);
        }
    }

    public int OutputSize => Layers[Layers.Length - 1].OutputSize;

    public LayerModel OutputLayer => Layers[Layers.Length - 1];

    public bool HasDropout => Layers.Any(layer => layer.DropoutRate > 0f);
}
