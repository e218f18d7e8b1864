// Imported from embedding_padding_mean.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from EmbeddingPaddingMean.weights: the project needs <AdditionalFiles Include="EmbeddingPaddingMean.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of embedding_padding_mean.onnx: input [7], output [1], 61 parameters.</summary>
[Network(Loss = Loss.BinaryCrossEntropy, Weights = "EmbeddingPaddingMean.weights")]
[Input(7)]
[Embedding(11, 5, PaddingIndex = 0)]
[GlobalAveragePool]
[Dense(1, Activation.Sigmoid)]
public partial class EmbeddingPaddingMean;
