using NetGen;

namespace SequenceClassification;

/// <summary>
/// Reads a 28x28 image as a sequence: 28 steps, one row of 28 pixels each, through a GRU whose last hidden state a dense
/// layer turns into the 10 classes. The shapes: [28, 28] -> [64] -> [10].
/// </summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(28, 28)]
[Gru(64)]
[Dense(10, Activation.Softmax)]
public partial class RowReader;
