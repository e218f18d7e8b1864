namespace NetGen;

/// <summary>
/// Declares the shape of the network's input: a vector of features, a sequence [steps, features], or an image
/// [channels, height, width]. Exactly one per network. Whatever its shape, a sample is one flat span of
/// <c>InputSize</c> floats, in row-major order: for an image, channel after channel, each row after row, as one sample
/// of a PyTorch NCHW tensor; for a sequence, step after step, as one sample of a <c>batch_first</c> tensor.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Declares an input vector of <paramref name="size"/> features.</summary>
    /// <param name="size">The number of input features; at least 1.</param>
    public InputAttribute(int size) => Shape = [size];

    /// <summary>Declares an input sequence of <paramref name="steps"/> steps with <paramref name="features"/> features each.</summary>
    /// <param name="steps">The number of steps; at least 1.</param>
    /// <param name="features">The number of features per step; at least 1.</param>
    public InputAttribute(int steps, int features) => Shape = [steps, features];

    /// <summary>Declares an input image of <paramref name="channels"/> channels of <paramref name="height"/> by <paramref name="width"/> pixels.</summary>
    /// <param name="channels">The number of channels (1 for grey, 3 for RGB); at least 1.</param>
    /// <param name="height">The number of rows; at least 1.</param>
    /// <param name="width">The number of columns; at least 1.</param>
    public InputAttribute(int channels, int height, int width) => Shape = [channels, height, width];

    /// <summary>The number of input values: the product of the dimensions.</summary>
    public int Size
    {
        get
        {
            int size = 1;
            foreach (int dimension in Shape)
            {
                size *= dimension;
            }
            return size;
        }
    }

    /// <summary>The dimensions as declared: [features], [steps, features] or [channels, height, width].</summary>
    public IReadOnlyList<int> Shape { get; }
}
