using NetGen;

namespace NetGen.Tests;

// Dense networks for the export tests: every activation, one and several layers, sizes with SIMD tails.

[Network] [Input(3)] [Dense(2, Activation.Identity)] public partial class ExportIdentityNet;

[Network] [Input(2)] [Dense(1, Activation.Step)] public partial class ExportPerceptron;

[Network(Loss = Loss.BinaryCrossEntropy)] [Input(37)] [Dense(16, Activation.Tanh)] [Dense(8, Activation.ReLU)] [Dense(2, Activation.Sigmoid)]
public partial class ExportDenseStackNet;

[Network(Loss = Loss.CrossEntropy)] [Input(20)] [Dense(17, Activation.Sigmoid)] [Dense(9, Activation.Softmax)]
public partial class ExportDenseSoftmaxNet;
