// Imported from conv_reshape.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from ConvReshape.weights: the project needs <AdditionalFiles Include="ConvReshape.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of conv_reshape.onnx: input [1, 5, 5], output [2], 58 parameters.</summary>
[Network(Weights = "ConvReshape.weights")]
[Input(1, 5, 5)]
[Conv2D(2, 3, Activation.ReLU)]
[Flatten]
[Dense(2)]
public partial class ConvReshape;
