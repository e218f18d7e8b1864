// This file is compiled into both the runtime and the generator (linked), so the two cannot drift.
namespace NetGen;

/// <summary>The kind of a layer in a declared network. The numeric values are part of the shape fingerprint.</summary>
public enum LayerKind
{
    /// <summary>A fully connected layer: z = W x + b, a = activation(z).</summary>
    Dense = 0,

    /// <summary>A 2-D convolution over an image [channels, height, width], as PyTorch's <c>Conv2d</c>.</summary>
    Conv2D = 1,

    /// <summary>The largest value of each window of an image, per channel, as PyTorch's <c>MaxPool2d</c>.</summary>
    MaxPool2D = 2,

    /// <summary>The mean of each window of an image, per channel, as PyTorch's <c>AvgPool2d</c>.</summary>
    AveragePool2D = 3,

    /// <summary>An image or a sequence read as one vector, in the order of <c>torch.flatten</c>.</summary>
    Flatten = 4,

    /// <summary>The mean over every position: [channels, height, width] becomes [channels], [steps, features] becomes [features].</summary>
    GlobalAveragePool = 5,

    /// <summary>An Elman recurrent layer over a sequence, h' = activation(W_ih x + b_ih + W_hh h + b_hh), as PyTorch's <c>RNN</c>.</summary>
    SimpleRnn = 6,

    /// <summary>A long short-term memory layer over a sequence, gates i, f, g, o, as PyTorch's <c>LSTM</c>.</summary>
    Lstm = 7,

    /// <summary>A gated recurrent unit layer over a sequence, gates r, z, n, as PyTorch's <c>GRU</c>.</summary>
    Gru = 8,

    /// <summary>A table lookup: each token id of the input picks a row of vectors, as PyTorch's <c>Embedding</c>.</summary>
    Embedding = 9,
}
