// Imported from dense_relu_softmax.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from DenseReluSoftmax.weights: the project needs <AdditionalFiles Include="DenseReluSoftmax.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of dense_relu_softmax.onnx: input [6], output [3], 83 parameters.</summary>
[Network(Loss = Loss.CrossEntropy, Weights = "DenseReluSoftmax.weights")]
[Input(6)]
[Dense(8, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class DenseReluSoftmax;
