using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// Max or average pooling over an image, as PyTorch's MaxPool2d and AvgPool2d in floor mode: out[c, y, x] is the
/// largest value (or the mean) of the Size x Size window of channel c starting at (y * stride, x * stride).
/// </summary>
internal sealed record Pool2DLayerModel(Shape InputShape, bool TakesMaximum, int Size, int Stride)
    : LayerModel(InputShape, Shape.Image(InputShape[0], OutputLength(InputShape[1], Size, Stride), OutputLength(InputShape[2], Size, Stride)), Activation.Identity)
{
    public override LayerKind Kind => TakesMaximum ? LayerKind.MaxPool2D : LayerKind.AveragePool2D;

    public int Channels => InputShape[0];

    public int InputHeight => InputShape[1];

    public int InputWidth => InputShape[2];

    public int OutputHeight => OutputShape[1];

    public int OutputWidth => OutputShape[2];

    public override EquatableArray<ParameterBlockModel> Blocks => EquatableArray<ParameterBlockModel>.Empty;

    public override long FlopsPerPrediction => (long)OutputSize * Size * Size;

    public override EquatableArray<int> Arguments => InputShapeArguments.Concat(new[] { Size, Stride }).ToEquatableArray();

    /// <summary>floor((in - size) / stride) + 1, or 0 when the window does not fit.</summary>
    public static int OutputLength(int input, int size, int stride) => input < size ? 0 : (input - size) / stride + 1;
}
