namespace NetGen.Generator;

/// <summary>Reads <c>[MaxPool2D(size, Stride = s)]</c> and <c>[AveragePool2D(size, Stride = s)]</c>.</summary>
internal sealed class Pool2DLayerParser : ILayerParser
{
    private readonly bool _takesMaximum;

    private Pool2DLayerParser(bool takesMaximum) => _takesMaximum = takesMaximum;

    public static Pool2DLayerParser Max { get; } = new(takesMaximum: true);

    public static Pool2DLayerParser Average { get; } = new(takesMaximum: false);

    public string AttributeName => _takesMaximum ? "NetGen.MaxPool2DAttribute" : "NetGen.AveragePool2DAttribute";

    private string Kind => _takesMaximum ? "MaxPool2D" : "AveragePool2D";

    public LayerModel? Parse(LayerParsingContext context)
    {
        if (context.IntArgument(0) is not int size)
        {
            return null;
        }
        int stride = context.Named("Stride", 0);
        bool valid = context.CheckPositive(size, "The window size", 0);
        if (stride != 0)
        {
            valid &= context.CheckPositive(stride, "The stride", -1, "Stride");
        }
        if (!context.Input.IsImage)
        {
            context.ReportShape(Kind, "an image [channels, height, width]", context.Input.IsVector ? ": pool before [Flatten], not after" : "");
            return null;
        }
        if (!valid)
        {
            return null;
        }
        if (size > context.Input[1] || size > context.Input[2])
        {
            context.Report(DiagnosticDescriptors.WindowLargerThanInput, 0, null, context.LayerNumber.ToString(), "window", size.ToString(),
                context.Input[1].ToString(), context.Input[2].ToString(), ": use a smaller window");
            return null;
        }
        return new Pool2DLayerModel(context.Input, _takesMaximum, size, stride == 0 ? size : stride);
    }
}
