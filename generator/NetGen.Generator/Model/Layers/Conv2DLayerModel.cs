using System;
using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// A 2-D convolution, as PyTorch's Conv2d: out[f, y, x] = b[f] + sum over c, ky, kx of
/// W[f, c, ky, kx] in[c, y * stride + ky - padTop, x * stride + kx - padLeft], zero outside the input, then a = f(z).
/// </summary>
internal sealed record Conv2DLayerModel(Shape InputShape, int Filters, int KernelSize, int Stride, Padding Padding, Activation Activation, float Dropout = 0f)
    : LayerModel(InputShape, OutputShapeOf(InputShape, Filters, KernelSize, Stride, Padding), Activation)
{
    public override LayerKind Kind => LayerKind.Conv2D;

    public override float DropoutRate => Dropout;

    public int InputChannels => InputShape[0];

    public int InputHeight => InputShape[1];

    public int InputWidth => InputShape[2];

    public int OutputHeight => OutputShape[1];

    public int OutputWidth => OutputShape[2];

    /// <summary>Zeros above the input (Same padding puts the odd one below).</summary>
    public int PadTop => PaddingBefore(InputHeight, OutputHeight);

    /// <summary>Zeros left of the input (Same padding puts the odd one on the right).</summary>
    public int PadLeft => PaddingBefore(InputWidth, OutputWidth);

    public int WeightCount => Filters * InputChannels * KernelSize * KernelSize;

    public override EquatableArray<ParameterBlockModel> Blocks => new[]
    {
        new ParameterBlockModel("weight", ParameterRole.Weight, new Shape(new[] { Filters, InputChannels, KernelSize, KernelSize }.ToEquatableArray())),
        new ParameterBlockModel("bias", ParameterRole.Bias, Shape.Vector(Filters)),
    }.ToEquatableArray();

    public override long FlopsPerPrediction => 2L * WeightCount * OutputHeight * OutputWidth;

    public override EquatableArray<int> Arguments
        => InputShapeArguments.Concat(new[] { Filters, KernelSize, Stride, (int)Padding }).ToEquatableArray();

    /// <summary>The output size along one axis: floor((in - k) / stride) + 1 for Valid, ceil(in / stride) for Same.</summary>
    public static int OutputLength(int input, int kernel, int stride, Padding padding)
        => padding == Padding.Same ? (input + stride - 1) / stride : input < kernel ? 0 : (input - kernel) / stride + 1;

    private int PaddingBefore(int input, int output)
        => Padding == Padding.Same ? Math.Max((output - 1) * Stride + KernelSize - input, 0) / 2 : 0;

    private static Shape OutputShapeOf(Shape input, int filters, int kernel, int stride, Padding padding)
        => Shape.Image(filters, OutputLength(input[1], kernel, stride, padding), OutputLength(input[2], kernel, stride, padding));
}
