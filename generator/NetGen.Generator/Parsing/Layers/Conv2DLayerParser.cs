namespace NetGen.Generator;

/// <summary>Reads <c>[Conv2D(filters, kernelSize, activation, Stride = s, Padding = p, Dropout = d)]</c>.</summary>
internal sealed class Conv2DLayerParser : ILayerParser
{
    public string AttributeName => "NetGen.Conv2DAttribute";

    public LayerModel? Parse(LayerParsingContext context)
    {
        if (context.IntArgument(0) is not int filters || context.IntArgument(1) is not int kernel || context.IntArgument(2) is not int activationValue)
        {
            return null;
        }
        var activation = (Activation)activationValue;
        int stride = context.Named("Stride", 1);
        var padding = (Padding)context.Named("Padding", (int)Padding.Valid);
        float dropout = context.Named("Dropout", 0f);
        bool valid = context.CheckPositive(filters, "The number of filters", 0);
        valid &= context.CheckPositive(kernel, "The kernel size", 1);
        valid &= context.CheckPositive(stride, "The stride", -1, "Stride");
        context.CheckActivation(activation, 2);
        context.CheckDropout(dropout);
        if (padding is not (Padding.Valid or Padding.Same))
        {
            context.Report(DiagnosticDescriptors.LayerNeedsOtherShape, -1, "Padding", context.LayerNumber.ToString(), "Conv2D", "Padding.Valid or Padding.Same", $"(Padding){(int)padding}", "");
            valid = false;
        }
        if (!context.Input.IsImage)
        {
            context.ReportShape("Conv2D", "an image [channels, height, width]", ": declare the input as [Input(channels, height, width)]");
            return null;
        }
        if (!valid)
        {
            return null;
        }
        if (padding == Padding.Valid && (kernel > context.Input[1] || kernel > context.Input[2]))
        {
            context.Report(DiagnosticDescriptors.WindowLargerThanInput, 1, null, context.LayerNumber.ToString(), "kernel", kernel.ToString(),
                context.Input[1].ToString(), context.Input[2].ToString(), ": use a smaller kernel, or Padding = Padding.Same");
            return null;
        }
        return new Conv2DLayerModel(context.Input, filters, kernel, stride, padding, activation, dropout);
    }
}
