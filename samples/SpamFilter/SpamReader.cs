using NetGen;

namespace Spam;

/// <summary>
/// The second network: the same embedding read in order by a GRU of 16 units (as wide as the 128 KiB scratch memory per sample allows at 200 steps, NG0016), whose last state gives the probability
/// of spam. Its texts are padded at the front (<see cref="SpamPipeline.PadAtFront"/>), so that its last steps read
/// words, not padding.
/// </summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(200)]
[Embedding(20000, 32, PaddingIndex = 0)]
[Gru(16)]
[Dense(1, Activation.Sigmoid)]
public partial class SpamReader;
