// Imported from conv_stride2_sigmoid_global_pool.onnx by netgen import (written by pytorch 1.13.0, opset 13).
// The parameters are compiled in from ConvStride2SigmoidGlobalPool.weights: the project needs <AdditionalFiles Include="ConvStride2SigmoidGlobalPool.weights" /> (with its folder).
using NetGen;

namespace NetGen.Tests.Imported;

/// <summary>The network of conv_stride2_sigmoid_global_pool.onnx: input [2, 9, 9], output [1], 270 parameters.</summary>
[Network(Loss = Loss.BinaryCrossEntropy, Weights = "ConvStride2SigmoidGlobalPool.weights")]
[Input(2, 9, 9)]
[Conv2D(3, 5, Activation.Sigmoid, Stride = 2, Padding = Padding.Same)]
[Conv2D(4, 3, Padding = Padding.Same)]
[GlobalAveragePool]
[Dense(1, Activation.Sigmoid)]
public partial class ConvStride2SigmoidGlobalPool;
