// Imported from lstm_sequence_gru_last_step.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from LstmSequenceGruLastStep.weights: the project needs <AdditionalFiles Include="LstmSequenceGruLastStep.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of lstm_sequence_gru_last_step.onnx: input [7, 3], output [2], 418 parameters.</summary>
[Network(Weights = "LstmSequenceGruLastStep.weights")]
[Input(7, 3)]
[Lstm(6, ReturnSequences = true)]
[Gru(4)]
[Dense(2)]
public partial class LstmSequenceGruLastStep;
