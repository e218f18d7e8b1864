using NetGen;

namespace WebDigits.Networks;

/// <summary>
/// The Digits sample's network (64 pixels 0..16 scaled by 1/16, 64 ReLU units with dropout 0.2, 10 softmax), with the
/// parameters of DigitsNet.weights compiled in: every new instance predicts at once, with nothing to download or load.
/// The training page calls <c>InitializeParameters</c> to start one afresh.
/// </summary>
[Network(Loss = Loss.CrossEntropy, Weights = "DigitsNet.weights")]
[Input(64)]
[Dense(64, Activation.ReLU, Dropout = 0.2f)]
[Dense(10, Activation.Softmax)]
public partial class DigitsNet;
