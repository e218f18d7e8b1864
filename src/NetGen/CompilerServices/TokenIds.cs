using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace NetGen.CompilerServices;

/// <summary>For generated code: the token ids an embedding reads from a float input, checked before they index its table.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TokenIds
{
    /// <summary>The row of the table that <paramref name="value"/> names: a whole number in [0, <paramref name="vocabulary"/>).</summary>
    /// <param name="value">The input value at <paramref name="position"/>.</param>
    /// <param name="position">Where the value stands in the input, from 0.</param>
    /// <param name="vocabulary">The number of rows of the table.</param>
    /// <returns>The id as an int.</returns>
    /// <exception cref="ArgumentException">The value is negative, fractional, NaN, or not below the vocabulary.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ToIndex(float value, int position, int vocabulary)
    {
        // One comparison pair rejects NaN (every comparison is false), negatives and ids too large; the cast back rejects fractions.
        if (!(value >= 0f && value < vocabulary) || (int)value != value)
        {
            ThrowInvalid(value.ToString("R", CultureInfo.InvariantCulture), position, vocabulary, "input");
        }
        return (int)value;
    }

    /// <summary>Throws unless <paramref name="token"/> is in [0, <paramref name="vocabulary"/>).</summary>
    /// <param name="token">The id at <paramref name="position"/>.</param>
    /// <param name="position">Where the id stands in the input, from 0.</param>
    /// <param name="vocabulary">The number of rows of the table.</param>
    /// <param name="parameterName">The name of the argument that holds the ids.</param>
    /// <exception cref="ArgumentException">The id is negative or not below the vocabulary.</exception>
    public static void Check(int token, int position, int vocabulary, string parameterName)
    {
        if ((uint)token >= (uint)vocabulary)
        {
            ThrowInvalid(token.ToString(CultureInfo.InvariantCulture), position, vocabulary, parameterName);
        }
    }

    [DoesNotReturn]
    private static void ThrowInvalid(string value, int position, int vocabulary, string parameterName)
        => throw new ArgumentException(
            $"The token id at position {position} is {value}, but the embedding's vocabulary has {vocabulary} ids: "
            + $"each token must be a whole number from 0 to {vocabulary - 1}.", parameterName);
}
