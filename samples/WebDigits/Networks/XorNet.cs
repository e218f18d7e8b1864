using NetGen;

namespace WebDigits.Networks;

/// <summary>The README's XOR network: 2 inputs, 4 tanh units, 1 sigmoid output.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet;
