using NetGen;

namespace LogicGates;

/// <summary>A single perceptron with two inputs: y = step(w1 x1 + w2 x2 + b).</summary>
[Network]
[Input(2)]
[Dense(1, Activation.Step)]
public partial class TwoInputPerceptron;

/// <summary>A single perceptron with one input, for NOT: y = step(w x + b).</summary>
[Network]
[Input(1)]
[Dense(1, Activation.Step)]
public partial class OneInputPerceptron;

/// <summary>Two inputs, a hidden layer of four tanh units, one sigmoid output: enough to draw two lines.</summary>
[Network(Loss = Loss.MeanSquaredError)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet;
