// Imported from conv_relu_maxpool.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from ConvReluMaxpool.weights: the project needs <AdditionalFiles Include="ConvReluMaxpool.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of conv_relu_maxpool.onnx: input [1, 6, 6], output [3], 69 parameters.</summary>
[Network(Loss = Loss.CrossEntropy, Weights = "ConvReluMaxpool.weights")]
[Input(1, 6, 6)]
[Conv2D(3, 3, Activation.ReLU)]
[MaxPool2D(2)]
[Flatten]
[Dense(3, Activation.Softmax)]
public partial class ConvReluMaxpool;
