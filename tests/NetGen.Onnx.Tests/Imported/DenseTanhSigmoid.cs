// Imported from dense_tanh_sigmoid.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from DenseTanhSigmoid.weights: the project needs <AdditionalFiles Include="DenseTanhSigmoid.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of dense_tanh_sigmoid.onnx: input [5], output [2], 34 parameters.</summary>
[Network(Loss = Loss.BinaryCrossEntropy, Weights = "DenseTanhSigmoid.weights")]
[Input(5)]
[Dense(4, Activation.Tanh)]
[Dense(2, Activation.Sigmoid)]
public partial class DenseTanhSigmoid;
