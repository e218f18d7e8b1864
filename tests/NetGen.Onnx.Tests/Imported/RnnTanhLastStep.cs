// Imported from rnn_tanh_last_step.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from RnnTanhLastStep.weights: the project needs <AdditionalFiles Include="RnnTanhLastStep.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of rnn_tanh_last_step.onnx: input [5, 3], output [2], 46 parameters.</summary>
[Network(Weights = "RnnTanhLastStep.weights")]
[Input(5, 3)]
[SimpleRnn(4, Activation.Tanh)]
[Dense(2)]
public partial class RnnTanhLastStep;
