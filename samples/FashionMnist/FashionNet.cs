using NetGen;

namespace FashionMnist;

/// <summary>
/// The convolutional network of the course: two convolutions, each followed by pooling, then a dense layer over the
/// flattened features. The shapes: [1, 28, 28] -> [16, 28, 28] -> [16, 14, 14] -> [32, 12, 12] -> [32, 6, 6] -> [1152] ->
/// [128] -> [10].
/// </summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(1, 28, 28)]
[Conv2D(16, 3, Activation.ReLU, Padding = Padding.Same)]
[MaxPool2D(2)]
[Conv2D(32, 3, Activation.ReLU, Stride = 1)]
[AveragePool2D(2)]
[Flatten]
[Dense(128, Activation.ReLU, Dropout = 0.4f)]
[Dense(10, Activation.Softmax)]
public partial class FashionNet;
