// Imported from rnn_relu_sequence_flatten.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from RnnReluSequenceFlatten.weights: the project needs <AdditionalFiles Include="RnnReluSequenceFlatten.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of rnn_relu_sequence_flatten.onnx: input [4, 3], output [3], 113 parameters.</summary>
[Network(Loss = Loss.CrossEntropy, Weights = "RnnReluSequenceFlatten.weights")]
[Input(4, 3)]
[SimpleRnn(5, Activation.ReLU, ReturnSequences = true)]
[Flatten]
[Dense(3, Activation.Softmax)]
public partial class RnnReluSequenceFlatten;
