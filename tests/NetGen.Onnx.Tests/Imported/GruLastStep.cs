// Imported from gru_last_step.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from GruLastStep.weights: the project needs <AdditionalFiles Include="GruLastStep.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of gru_last_step.onnx: input [6, 4], output [2], 177 parameters.</summary>
[Network(Weights = "GruLastStep.weights")]
[Input(6, 4)]
[Gru(5)]
[Dense(2)]
public partial class GruLastStep;
