using NetGen;

namespace NetGen.Tests;

// Networks with shaped layers, for the PyTorch parity fixtures (tests/make_convolution_fixtures.py declares the same
// networks in PyTorch) and the gradient checks. Between them: both paddings, strides 1 and 2, several channels, both
// pooling kinds with and without overlap, global average pooling of images and sequences, and rows long enough for
// the SIMD helpers (28 columns: 3 vectors of 8 and a tail) as well as short ones.

[Network(Loss = Loss.CrossEntropy)]
[Input(1, 6, 6)]
[Conv2D(2, 3, Activation.ReLU)]
[Flatten]
[Dense(3, Activation.Softmax)]
public partial class ConvValidNet;

[Network(Loss = Loss.CrossEntropy)]
[Input(2, 7, 7)]
[Conv2D(3, 3, Activation.Tanh, Padding = Padding.Same)]
[MaxPool2D(2)]
[Flatten]
[Dense(4, Activation.Softmax)]
public partial class ConvSameMaxPoolNet;

[Network]
[Input(3, 9, 8)]
[Conv2D(4, 3, Activation.Sigmoid, Stride = 2)]
[AveragePool2D(2, Stride = 1)]
[Flatten]
[Dense(2)]
public partial class ConvStrideTwoAveragePoolNet;

[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(2, 8, 9)]
[Conv2D(3, 5, Activation.ReLU, Stride = 2, Padding = Padding.Same)]
[Conv2D(4, 3, Activation.Identity, Padding = Padding.Same)]
[GlobalAveragePool]
[Dense(1, Activation.Sigmoid)]
public partial class ConvStackGlobalPoolNet;

/// <summary>A small Fashion-MNIST-shaped network: 28-column rows take the SIMD helpers' vector paths.</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(1, 28, 28)]
[Conv2D(3, 3, Activation.ReLU, Padding = Padding.Same)]
[MaxPool2D(3, Stride = 2)]
[Conv2D(4, 3, Activation.ReLU)]
[AveragePool2D(2)]
[Flatten]
[Dense(10, Activation.Softmax)]
public partial class ConvFashionShapedNet;

[Network]
[Input(5, 3)]
[GlobalAveragePool]
[Dense(2, Activation.Tanh)]
public partial class SequenceGlobalPoolNet;

/// <summary>Dropout on a convolution and on a dense layer after it: the masks are replayed by the gradient checks.</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(1, 10, 10)]
[Conv2D(3, 3, Activation.ReLU, Dropout = 0.25f)]
[MaxPool2D(2)]
[Flatten]
[Dense(8, Activation.ReLU, Dropout = 0.5f)]
[Dense(3, Activation.Softmax)]
public partial class ConvDropoutNet;

/// <summary>Scratch above the stack budget (16 and 32 filters on 28x28): the passes use the per-thread workspace.</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(1, 28, 28)]
[Conv2D(16, 3, Activation.ReLU, Padding = Padding.Same)]
[MaxPool2D(2)]
[Conv2D(32, 3, Activation.ReLU, Padding = Padding.Same)]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Activation.Softmax)]
public partial class ConvWorkspaceNet;

/// <summary>
/// Filter counts that leave a partial block for the forward kernels (7 = 4 + 3, 9 = 4 + 4 + 1), an even kernel with
/// Same padding (one zero before, two after), and a convolution without activation; smooth throughout (tanh,
/// averages), so that the finite differences meet no kink.
/// </summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(2, 11, 13)]
[Conv2D(7, 4, Activation.Tanh, Padding = Padding.Same)]
[AveragePool2D(2)]
[Conv2D(9, 2, Activation.Identity)]
[Flatten]
[Dense(3, Activation.Softmax)]
public partial class ConvFilterBlocksNet;

/// <summary>
/// Max pooling over windows whose largest values tie: a 1x1 convolution adds the two channels, so that the pooled
/// values tie while the inputs behind them differ, and dL/dW shows which value each window's delta went to.
/// Rows of six make the pooling kernels run on vectors (five window columns).
/// </summary>
[Network]
[Input(2, 2, 6)]
[Conv2D(1, 1, Activation.Identity)]
[MaxPool2D(2)]
[Flatten]
[Dense(1)]
public partial class PoolTieNet;
