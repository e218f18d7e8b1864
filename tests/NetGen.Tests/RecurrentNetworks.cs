using NetGen;

namespace NetGen.Tests;

// Recurrent networks for the PyTorch parity fixtures (tests/make_recurrent_fixtures.py declares the same networks with
// torch.nn.RNN, LSTM and GRU, batch_first) and the gradient checks: each cell, ReturnSequences both ways (a sequence
// needs [Flatten] before a dense layer), stacked layers, 1 to 30 steps, and 28 features for the SIMD helpers' vector paths.

[Network]
[Input(5, 3)]
[SimpleRnn(4, Activation.Tanh)]
[Dense(2)]
public partial class RnnTanhNet;

[Network(Loss = Loss.CrossEntropy)]
[Input(6, 4)]
[SimpleRnn(5, Activation.ReLU, ReturnSequences = true)]
[Flatten]
[Dense(3, Activation.Softmax)]
public partial class RnnReluSequenceNet;

[Network(Loss = Loss.CrossEntropy)]
[Input(7, 3)]
[Lstm(5)]
[Dense(3, Activation.Softmax)]
public partial class LstmNet;

[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(4, 5)]
[Lstm(3, ReturnSequences = true)]
[Flatten]
[Dense(2, Activation.Sigmoid)]
public partial class LstmSequenceNet;

[Network]
[Input(6, 4)]
[Gru(5)]
[Dense(2)]
public partial class GruNet;

[Network]
[Input(3, 2)]
[Gru(4, ReturnSequences = true)]
[Flatten]
[Dense(2, Activation.Tanh)]
public partial class GruSequenceNet;

/// <summary>The shape, small: an LSTM's sequence read by a GRU, whose last step feeds the output.</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(8, 3)]
[Lstm(6, ReturnSequences = true)]
[Gru(5)]
[Dense(3, Activation.Softmax)]
public partial class StackedRecurrentNet;

[Network]
[Input(1, 4)]
[Gru(3)]
[Dense(2)]
public partial class OneStepGruNet;

/// <summary>30 steps of 28 features: the longest sequence of the checks, with rows that take the vector paths.</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(30, 28)]
[Lstm(8)]
[Dense(10, Activation.Softmax)]
public partial class LongLstmNet;

/// <summary>Dropout on the dense layer after a recurrent one: the masks are replayed by the gradient checks.</summary>
[Network]
[Input(6, 3)]
[SimpleRnn(4, Activation.Tanh, ReturnSequences = true)]
[Gru(5)]
[Dense(4, Activation.ReLU, Dropout = 0.3f)]
[Dense(2)]
public partial class RecurrentDropoutNet;

/// <summary>30 steps of a ReLU RNN, for gradient clipping: with every parameter 0.5 its state grows 1.5 times a step.</summary>
[Network]
[Input(30, 2)]
[SimpleRnn(3, Activation.ReLU)]
[Dense(1)]
public partial class ExplodingRnnNet;

/// <summary>GruNet's layers over 3 steps: what streaming GruNet must give after its third step.</summary>
[Network]
[Input(3, 4)]
[Gru(5)]
[Dense(2)]
public partial class GruThreeStepNet;

/// <summary>GruNet's layers over 9 steps: what streaming GruNet must give when it runs past its 6 declared steps.</summary>
[Network]
[Input(9, 4)]
[Gru(5)]
[Dense(2)]
public partial class GruNineStepNet;

/// <summary>16 units of an LSTM: the cell's gates fill whole vectors of 16, so its widest vector path runs.</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(5, 16)]
[Lstm(16)]
[Dense(3, Activation.Softmax)]
public partial class WideLstmNet;

/// <summary>20 units of a GRU over 12 features: a vector of 16 units and one of 4, and gate rows in blocks of 8 and 4.</summary>
[Network]
[Input(4, 12)]
[Gru(20)]
[Dense(3)]
public partial class WideGruNet;

/// <summary>
/// Streams on every width of the whole-sequence input projection: 8 features (rows of two 256-bit vectors, two steps at
/// a time) over 7 steps (one step left over), then 16 units read as 16 features (one 512-bit vector, four steps at a time,
/// three steps left over).
/// </summary>
[Network]
[Input(7, 8)]
[Gru(16, ReturnSequences = true)]
[Lstm(8)]
[Dense(2)]
public partial class ProjectedRecurrentNet;
