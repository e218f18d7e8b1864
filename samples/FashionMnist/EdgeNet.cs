using NetGen;

namespace FashionMnist;

/// <summary>
/// A convolution with two hand-set 3x3 kernels, the Sobel operators, to show what a convolution does before any
/// learning: each output pixel is the weighted sum of the 3x3 pixels around it, which for these weights is how fast the
/// brightness changes across (first map) and down (second map). The dense layer is only there because a network must end
/// in one; the pictures read the convolution's output through PredictLayerOutputs.
/// </summary>
[Network]
[Input(1, 28, 28)]
[Conv2D(2, 3, Activation.Identity, Padding = Padding.Same)]
[Flatten]
[Dense(1)]
public partial class EdgeNet;
