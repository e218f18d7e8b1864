using NetGen;

namespace Embedded;

/// <summary>The XOR network of the README: 2 inputs, 4 tanh units, 1 sigmoid output; every layer unrolled.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet;

/// <summary>An MNIST-sized classifier (784 -> 128 ReLU -> 10 softmax): SIMD loops, for the prediction benchmark.</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class DigitsNet;
