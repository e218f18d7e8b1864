// Imported from lstm_last_step.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from LstmLastStep.weights: the project needs <AdditionalFiles Include="LstmLastStep.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of lstm_last_step.onnx: input [6, 3], output [3], 218 parameters.</summary>
[Network(Loss = Loss.CrossEntropy, Weights = "LstmLastStep.weights")]
[Input(6, 3)]
[Lstm(5)]
[Dense(3, Activation.Softmax)]
public partial class LstmLastStep;
