using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace NetGen.CompilerServices;

/// <summary>For generated code: the span-length checks of generated networks, with messages that name the expected length.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ArgumentLength
{
    /// <summary>Throws unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    /// <param name="actual">The length of the span passed in.</param>
    /// <param name="expected">The length the network needs.</param>
    /// <param name="parameterName">The name of the argument.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Check(int actual, int expected, string parameterName)
    {
        if (actual != expected)
        {
            Throw(actual, expected, parameterName);
        }
    }

    [DoesNotReturn]
    private static void Throw(int actual, int expected, string parameterName)
        => throw new ArgumentException($"'{parameterName}' has length {actual}; the network expects length {expected}.", parameterName);
}
