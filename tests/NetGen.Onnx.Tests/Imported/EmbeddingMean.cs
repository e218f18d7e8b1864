// Imported from embedding_mean.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from EmbeddingMean.weights: the project needs <AdditionalFiles Include="EmbeddingMean.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of embedding_mean.onnx: input [6], output [3], 51 parameters.</summary>
[Network(Weights = "EmbeddingMean.weights")]
[Input(6)]
[Embedding(9, 4)]
[GlobalAveragePool]
[Dense(3)]
public partial class EmbeddingMean;
