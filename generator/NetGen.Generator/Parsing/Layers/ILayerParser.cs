namespace NetGen.Generator;

/// <summary>
/// Reads one kind of layer attribute into its model record, checking its arguments and its input's shape. Each kind
/// of layer has one; <see cref="NetworkParser"/> finds it by the attribute's name.
/// </summary>
internal interface ILayerParser
{
    /// <summary>The attribute's full metadata name, such as "NetGen.DenseAttribute".</summary>
    string AttributeName { get; }

    /// <summary>
    /// The layer, or null when its output shape cannot be known (a diagnostic has then been reported, or the compiler
    /// reports one). A layer whose arguments are wrong but whose shape is known is returned with errors reported on the
    /// context, so that the layers after it are checked too.
    /// </summary>
    LayerModel? Parse(LayerParsingContext context);
}
