// Imported from hello_world_sine.onnx by netgen import (written by keras2onnx 1.7.0, opset 9).
// The parameters are compiled in from HelloWorldSine.weights: the project needs <AdditionalFiles Include="HelloWorldSine.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of hello_world_sine.onnx: input [1], output [1], 321 parameters.</summary>
[Network(Weights = "HelloWorldSine.weights")]
[Input(1)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(1)]
public partial class HelloWorldSine;
