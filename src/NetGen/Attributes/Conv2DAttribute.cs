namespace NetGen;

/// <summary>
/// Declares a 2-D convolution over an image [channels, height, width], as PyTorch's <c>Conv2d</c>: each of
/// <c>filters</c> output channels is the sum over the input channels of a <c>kernelSize x kernelSize</c> cross-correlation,
/// plus a bias, then the activation. Its parameters are stored as PyTorch stores them: the weights
/// [filters, inputChannels, kernelSize, kernelSize] row-major, then the biases [filters].
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : Attribute
{
    /// <summary>Declares a convolution with <paramref name="filters"/> output channels and square kernels.</summary>
    /// <param name="filters">The number of filters (output channels); at least 1.</param>
    /// <param name="kernelSize">The height and width of each kernel; at least 1.</param>
    /// <param name="activation">The activation applied to each output value.</param>
    public Conv2DAttribute(int filters, int kernelSize, Activation activation = Activation.Identity)
    {
        Filters = filters;
        KernelSize = kernelSize;
        Activation = activation;
    }

    /// <summary>The number of filters (output channels).</summary>
    public int Filters { get; }

    /// <summary>The height and width of each kernel.</summary>
    public int KernelSize { get; }

    /// <summary>The activation applied to each output value.</summary>
    public Activation Activation { get; }

    /// <summary>The step between two windows, along both axes. The default is 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>How the border is treated. The default is <see cref="Padding.Valid"/>: no padding.</summary>
    public Padding Padding { get; set; } = Padding.Valid;

    /// <summary>
    /// The dropout rate p in [0, 1) applied to the layer's outputs while training (inverted dropout, each value
    /// on its own, as PyTorch's <c>Dropout</c>). The default 0 turns dropout off.
    /// </summary>
    public float Dropout { get; set; }
}
