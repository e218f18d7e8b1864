// Imported from lstm_two_layers.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from LstmTwoLayers.weights: the project needs <AdditionalFiles Include="LstmTwoLayers.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of lstm_two_layers.onnx: input [5, 2], output [1], 293 parameters.</summary>
[Network(Weights = "LstmTwoLayers.weights")]
[Input(5, 2)]
[Lstm(4, ReturnSequences = true)]
[Lstm(4)]
[Dense(1)]
public partial class LstmTwoLayers;
