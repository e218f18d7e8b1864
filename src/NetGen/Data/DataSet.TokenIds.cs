namespace NetGen;

// Data sets of token ids, for networks that start with an Embedding: the ids are stored as whole-number floats, the
// networks' input (exact up to 2^24), so training and evaluation take the same path as for any other data.
public sealed partial class DataSet
{
    /// <summary>The largest token id a float holds exactly: 2^24.</summary>
    public const int MaxTokenId = 1 << 24;

    /// <summary>
    /// A data set of texts given as token ids: <paramref name="tokenIds"/> holds Count rows of <paramref name="length"/>
    /// ids (padded or truncated to the network's input length, as <see cref="Vocabulary.Encode(IEnumerable{string}, Span{int})"/>
    /// writes them), stored as whole-number floats; <paramref name="targets"/> holds Count rows of <paramref name="targetSize"/>.
    /// The targets array is used as it is, not copied.
    /// </summary>
    /// <param name="tokenIds">Count x <paramref name="length"/> token ids, row after row.</param>
    /// <param name="targets">Count x <paramref name="targetSize"/> targets.</param>
    /// <param name="length">The ids per text: the network's input length.</param>
    /// <param name="targetSize">The targets per text.</param>
    /// <exception cref="ArgumentException">An id is negative or above <see cref="MaxTokenId"/> (the message names the row, the position and the id), or the lengths do not describe the same number of whole rows.</exception>
    public static DataSet FromTokenIds(ReadOnlySpan<int> tokenIds, float[] targets, int length, int targetSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var features = new float[tokenIds.Length];
        for (int i = 0; i < tokenIds.Length; i++)
        {
            int id = tokenIds[i];
            if ((uint)id > MaxTokenId)
            {
                throw new ArgumentException(
                    $"The token id at row {i / length}, position {i % length} is {id}; token ids must be whole numbers from 0 to {MaxTokenId} (2^24, the largest a float holds exactly).",
                    nameof(tokenIds));
            }
            features[i] = id;
        }
        return new DataSet(features, targets, length, targetSize);
    }

    /// <summary>The token ids of sample <paramref name="index"/>, written into <paramref name="destination"/>.</summary>
    /// <param name="index">The sample.</param>
    /// <param name="destination">As long as <see cref="FeatureSize"/>.</param>
    /// <exception cref="ArgumentException">The destination has another length, or a feature is not a whole number in [0, <see cref="MaxTokenId"/>] (the message names the position and the value).</exception>
    public void GetTokenIds(int index, Span<int> destination)
    {
        ReadOnlySpan<float> features = GetFeatures(index);
        if (destination.Length != features.Length)
        {
            throw new ArgumentException($"'{nameof(destination)}' has length {destination.Length}; sample {index} has {features.Length} token ids.", nameof(destination));
        }
        for (int i = 0; i < features.Length; i++)
        {
            float value = features[i];
            if (!(value >= 0f && value <= MaxTokenId) || (int)value != value)
            {
                throw new ArgumentException($"Sample {index} holds {value} at position {i}, which is not a token id (a whole number from 0 to {MaxTokenId}).", nameof(index));
            }
            destination[i] = (int)value;
        }
    }
}
