// Imported from conv_padded_tanh_avgpool.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from ConvPaddedTanhAvgpool.weights: the project needs <AdditionalFiles Include="ConvPaddedTanhAvgpool.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of conv_padded_tanh_avgpool.onnx: input [2, 5, 5], output [2], 206 parameters.</summary>
[Network(Weights = "ConvPaddedTanhAvgpool.weights")]
[Input(2, 5, 5)]
[Conv2D(4, 3, Activation.Tanh, Padding = Padding.Same)]
[AveragePool2D(2, Stride = 1)]
[Flatten]
[Dense(2)]
public partial class ConvPaddedTanhAvgpool;
