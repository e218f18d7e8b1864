using NetGen;

namespace NetGen.Tests;

/// <summary>Dropout on both hidden layers; unrolled first layer, looped second.</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(6)]
[Dense(8, Activation.Tanh, Dropout = 0.25f)]
[Dense(30, Activation.ReLU, Dropout = 0.5f)]
[Dense(3, Activation.Softmax)]
public partial class DropoutNet;

/// <summary>A wide ReLU layer with heavy dropout, for counting kept units.</summary>
[Network]
[Input(1)]
[Dense(2000, Activation.Identity, Dropout = 0.3f)]
[Dense(1, Activation.Identity)]
public partial class WideDropoutNet;

/// <summary>MNIST-sized with dropout: big enough that a batch's chunks are computed on several threads.</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(784)]
[Dense(128, Activation.ReLU, Dropout = 0.2f)]
[Dense(10, Activation.Softmax)]
public partial class MnistDropoutNet;

/// <summary>Big enough to memorize 40 noisy samples: overfits without early stopping.</summary>
[Network]
[Input(4)]
[Dense(64, Activation.Tanh)]
[Dense(1, Activation.Identity)]
public partial class OverfittingNet;
