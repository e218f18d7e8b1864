using NetGen;

namespace Spam;

/// <summary>
/// The spam filter: 200 token ids, an embedding of 20,000 words in 32 dimensions (id 0 pads), the mean of the
/// vectors of the words that are not padding, and one sigmoid output, the probability of spam.
/// </summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(200)]
[Embedding(20000, 32, PaddingIndex = 0)]
[GlobalAveragePool]
[Dense(1, Activation.Sigmoid)]
public partial class SpamFilter;
