// Imported from matmul_add_relu.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from MatmulAddRelu.weights: the project needs <AdditionalFiles Include="MatmulAddRelu.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of matmul_add_relu.onnx: input [7], output [3], 58 parameters.</summary>
[Network(Weights = "MatmulAddRelu.weights")]
[Input(7)]
[Dense(5, Activation.ReLU)]
[Dense(3)]
public partial class MatmulAddRelu;
