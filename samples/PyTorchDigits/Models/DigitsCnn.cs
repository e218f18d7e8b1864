// Imported from digits.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from DigitsCnn.weights: the project needs <AdditionalFiles Include="DigitsCnn.weights" /> (with its folder).
using NetGen;

namespace PyTorchDigits;

/// <summary>The network of digits.onnx: input [1, 8, 8], output [10], 4538 parameters.</summary>
[Network(Loss = Loss.CrossEntropy, Weights = "DigitsCnn.weights")]
[Input(1, 8, 8)]
[Conv2D(8, 3, Activation.ReLU, Padding = Padding.Same)]
[MaxPool2D(2)]
[Flatten]
[Dense(32, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class DigitsCnn;
