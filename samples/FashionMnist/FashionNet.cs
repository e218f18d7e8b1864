using NetGen;

namespace FashionMnist;

/// <summary>
/// The convolutional network of the course: two convolutions, each followed by pooling, then a dense layer over the
/// flattened features. The shapes: [1, 28, 28] -> [8, 28, 28] -> [8, 14, 14] -> [16, 12, 12] -> [16, 6, 6] -> [576] -> [64]
/// -> [10].
/// </summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(1, 28, 28)]
[Conv2D(8, 3, Activation.ReLU, Padding = Padding.Same)]
[MaxPool2D(2)]
[Conv2D(16, 3, Activation.ReLU, Stride = 1)]
[AveragePool2D(2)]
[Flatten]
[Dense(64, Activation.ReLU, Dropout = 0.25f)]
[Dense(10, Activation.Softmax)]
public partial class FashionNet;
