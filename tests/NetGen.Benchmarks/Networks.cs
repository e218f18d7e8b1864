using NetGen;

namespace NetGen.Benchmarks;

/// <summary>W1: XOR, 2-4-1, tanh hidden, sigmoid output, mean squared error.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet;

/// <summary>W2 and W3: 784-128(ReLU)-10(softmax), softmax cross-entropy (MNIST-sized).</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class MnistMlp;

/// <summary>W4: 64-32(tanh)-10(softmax), softmax cross-entropy (digits-sized).</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(64)]
[Dense(32, Activation.Tanh)]
[Dense(10, Activation.Softmax)]
public partial class DigitsMlp;

/// <summary>W5: LeNet-5 on 28x28 images (PyTorch's classic layout, ReLU, max pooling).</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(1, 28, 28)]
[Conv2D(6, 5, Activation.ReLU, Padding = Padding.Same)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(120, Activation.ReLU)]
[Dense(84, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class LeNet5;
