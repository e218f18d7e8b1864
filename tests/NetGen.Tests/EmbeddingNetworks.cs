using NetGen;

namespace NetGen.Tests;

// Networks that start with an embedding, for the PyTorch parity fixtures (tests/make_embedding_fixtures.py declares the
// same networks in PyTorch) and the gradient checks: the masked mean over the tokens that are not padding with a
// sigmoid and a softmax output, a mean without a padding id, flatten after an embedding, and rows of 5, 12 and 3
// values (the SIMD helpers' scalar tail, a vector and a tail, and short rows).

/// <summary>The shape, small: token ids, an embedding with padding id 0, their masked mean, a sigmoid.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(7)]
[Embedding(11, 5, PaddingIndex = 0)]
[GlobalAveragePool]
[Dense(1, Activation.Sigmoid)]
public partial class EmbeddingMeanBinaryNet;

/// <summary><see cref="EmbeddingMeanBinaryNet"/> for texts padded to 13 tokens: the same parameters.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(13)]
[Embedding(11, 5, PaddingIndex = 0)]
[GlobalAveragePool]
[Dense(1, Activation.Sigmoid)]
public partial class EmbeddingMeanBinaryLongNet;

/// <summary>A padding id that is not 0, rows of 12 floats (a vector of 8 and a tail), three classes.</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(6)]
[Embedding(9, 12, PaddingIndex = 2)]
[GlobalAveragePool]
[Dense(3, Activation.Softmax)]
public partial class EmbeddingMeanSoftmaxNet;

/// <summary>No padding id: the mean over every position.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(5)]
[Embedding(8, 4)]
[GlobalAveragePool]
[Dense(1, Activation.Sigmoid)]
public partial class EmbeddingPlainMeanNet;

/// <summary>The sequence read as one vector, then a hidden layer.</summary>
[Network]
[Input(4)]
[Embedding(10, 3, PaddingIndex = 9)]
[Flatten]
[Dense(5, Activation.Tanh)]
[Dense(2)]
public partial class EmbeddingFlattenNet;

/// <summary>A table of 40 rows of which a batch touches a few: LazyAdam against PyTorch's SparseAdam, and the sparse trainer paths.</summary>
[Network(Loss = Loss.CrossEntropy)]
[Input(6)]
[Embedding(40, 5, PaddingIndex = 0)]
[GlobalAveragePool]
[Dense(3, Activation.Softmax)]
public partial class EmbeddingSparseNet;

/// <summary>A vocabulary of 1,000, for the cost of a step against <see cref="EmbeddingHugeVocabularyNet"/>.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(16)]
[Embedding(1_000, 8, PaddingIndex = 0)]
[GlobalAveragePool]
[Dense(1, Activation.Sigmoid)]
public partial class EmbeddingSmallVocabularyNet;

/// <summary><see cref="EmbeddingSmallVocabularyNet"/> with a vocabulary 500 times larger (4,000,000 table parameters).</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(16)]
[Embedding(500_000, 8, PaddingIndex = 0)]
[GlobalAveragePool]
[Dense(1, Activation.Sigmoid)]
public partial class EmbeddingHugeVocabularyNet;
