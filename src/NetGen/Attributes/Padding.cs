// This file is compiled into both the runtime and the generator (linked), so the two cannot drift.
namespace NetGen;

/// <summary>How a convolution treats the border of its input.</summary>
public enum Padding
{
    /// <summary>No padding: only windows that lie wholly inside the input; the output is floor((in - k) / stride) + 1.</summary>
    Valid = 0,

    /// <summary>
    /// Zeros around the input so that the output is ceil(in / stride): max((out - 1) * stride + k - in, 0) zeros per
    /// axis in all, half before and the rest after. For stride 1 and an odd kernel this is PyTorch's <c>padding = k // 2</c>.
    /// </summary>
    Same = 1,
}
