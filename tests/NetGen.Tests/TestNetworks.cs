using NetGen;

namespace NetGen.Tests;

// Networks for the gradient checks and the reference comparison. Names: U = every layer unrolled (at most 64
// weights), S = SIMD loops, M = a mix; then the number of layers, the activations and the loss. The odd sizes
// (37, 33, 21...) leave a scalar tail after every vector width.

[Network] [Input(3)] [Dense(2, Activation.Identity)] public partial class U1IdentityMse;
[Network] [Input(3)] [Dense(2, Activation.Sigmoid)] public partial class U1SigmoidMse;
[Network] [Input(3)] [Dense(2, Activation.Tanh)] public partial class U1TanhMse;
[Network] [Input(3)] [Dense(2, Activation.ReLU)] public partial class U1ReLUMse;
[Network] [Input(3)] [Dense(3, Activation.Softmax)] public partial class U1SoftmaxMse;
[Network(Loss = Loss.BinaryCrossEntropy)] [Input(3)] [Dense(2, Activation.Sigmoid)] public partial class U1SigmoidBce;
[Network(Loss = Loss.CrossEntropy)] [Input(3)] [Dense(3, Activation.Softmax)] public partial class U1SoftmaxCe;

[Network] [Input(37)] [Dense(19, Activation.Identity)] public partial class S1IdentityMse;
[Network] [Input(37)] [Dense(19, Activation.Tanh)] public partial class S1TanhMse;
[Network] [Input(37)] [Dense(19, Activation.ReLU)] public partial class S1ReLUMse;
[Network(Loss = Loss.BinaryCrossEntropy)] [Input(37)] [Dense(5, Activation.Sigmoid)] public partial class S1SigmoidBce;
[Network(Loss = Loss.CrossEntropy)] [Input(37)] [Dense(10, Activation.Softmax)] public partial class S1SoftmaxCe;
[Network] [Input(37)] [Dense(10, Activation.Softmax)] public partial class S1SoftmaxMse;

[Network(Loss = Loss.BinaryCrossEntropy)] [Input(3)] [Dense(4, Activation.Tanh)] [Dense(2, Activation.Sigmoid)] public partial class U2TanhSigmoidBce;
[Network(Loss = Loss.CrossEntropy)] [Input(3)] [Dense(4, Activation.ReLU)] [Dense(3, Activation.Softmax)] public partial class U2ReLUSoftmaxCe;
[Network] [Input(3)] [Dense(4, Activation.Sigmoid)] [Dense(2, Activation.Identity)] public partial class U2SigmoidIdentityMse;

[Network(Loss = Loss.CrossEntropy)] [Input(37)] [Dense(21, Activation.ReLU)] [Dense(10, Activation.Softmax)] public partial class S2ReLUSoftmaxCe;
[Network] [Input(40)] [Dense(33, Activation.Tanh)] [Dense(5, Activation.Sigmoid)] public partial class S2TanhSigmoidMse;
[Network] [Input(20)] [Dense(17, Activation.Identity)] [Dense(9, Activation.Tanh)] public partial class S2IdentityTanhMse;
[Network] [Input(20)] [Dense(17, Activation.Sigmoid)] [Dense(9, Activation.Softmax)] public partial class S2SigmoidSoftmaxMse;

[Network(Loss = Loss.CrossEntropy)] [Input(5)] [Dense(6, Activation.Tanh)] [Dense(40, Activation.ReLU)] [Dense(3, Activation.Softmax)] public partial class M3TanhReLUSoftmaxCe;
[Network(Loss = Loss.BinaryCrossEntropy)] [Input(33)] [Dense(16, Activation.Sigmoid)] [Dense(8, Activation.ReLU)] [Dense(2, Activation.Sigmoid)] public partial class M3SigmoidReLUSigmoidBce;
[Network] [Input(4)] [Dense(3, Activation.Identity)] [Dense(3, Activation.Tanh)] [Dense(1, Activation.ReLU)] public partial class U3IdentityTanhReLUMse;

/// <summary>The XOR network of the README, unrolled.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet;

/// <summary>The same network with unrolling turned off, so it runs the loop and SIMD code.</summary>
[Network(Loss = Loss.MeanSquaredError, UnrollThreshold = 0)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNetLooped;

/// <summary>A single perceptron with two inputs.</summary>
[Network] [Input(2)] [Dense(1, Activation.Step)] public partial class TwoInputPerceptron;

/// <summary>A single perceptron with one input.</summary>
[Network] [Input(1)] [Dense(1, Activation.Step)] public partial class OneInputPerceptron;

/// <summary>The size of the W2 inference workload, for the allocation test of the SIMD path.</summary>
[Network(Loss = Loss.CrossEntropy)] [Input(784)] [Dense(128, Activation.ReLU)] [Dense(10, Activation.Softmax)] public partial class MnistSizedNet;

/// <summary>A network whose user part declares its own constructors: the parameters must be initialized anyway.</summary>
[Network] [Input(2)] [Dense(3, Activation.Tanh)] [Dense(1, Activation.Identity)]
public partial class NetWithConstructors
{
    public NetWithConstructors()
    {
    }

    public NetWithConstructors(string name) => Name = name;

    public string Name { get; } = "";
}

/// <summary>XorNet's parameter count with ReLU hidden units: another shape, so XorNet's weights must not load into it.</summary>
[Network] [Input(2)] [Dense(4, Activation.ReLU)] [Dense(1, Activation.Sigmoid)] public partial class XorNetReLU;

/// <summary>XorNet's layers trained on another loss: the same shape fingerprint, so XorNet's weights load into it.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)] [Input(2)] [Dense(4, Activation.Tanh)] [Dense(1, Activation.Sigmoid)] public partial class XorNetBce;
