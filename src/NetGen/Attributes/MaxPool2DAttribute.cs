namespace NetGen;

/// <summary>
/// Declares max pooling over an image, as PyTorch's <c>MaxPool2d</c> in its default floor mode: each output value is
/// the largest value of a <c>size x size</c> window of its channel. No parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute : Attribute
{
    /// <summary>Declares max pooling over <paramref name="size"/> x <paramref name="size"/> windows.</summary>
    /// <param name="size">The height and width of a window; at least 1.</param>
    public MaxPool2DAttribute(int size) => Size = size;

    /// <summary>The height and width of a window.</summary>
    public int Size { get; }

    /// <summary>The step between two windows; 0, the default, means the window size (windows that do not overlap).</summary>
    public int Stride { get; set; }
}
