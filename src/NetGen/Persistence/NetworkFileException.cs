namespace NetGen;

/// <summary>Why <see cref="NetworkFile"/> refused a file.</summary>
public enum NetworkFileError
{
    /// <summary>No reason was given: the exception was made with one of its standard constructors. NetGen always gives one.</summary>
    Unspecified = 0,

    /// <summary>The file ends before the record does (an interrupted copy or download, or an empty file).</summary>
    Truncated = 1,

    /// <summary>The file does not start with NetGen's magic bytes: it is not a NetGen weights or checkpoint file.</summary>
    NotANetworkFile = 2,

    /// <summary>The file is in a format version this NetGen does not read.</summary>
    UnsupportedVersion = 3,

    /// <summary>The file is a checkpoint where a weights file was expected, or the other way round.</summary>
    WrongFileKind = 4,

    /// <summary>The file was made for a network of another shape (its fingerprint or parameter count differs).</summary>
    ShapeMismatch = 5,

    /// <summary>The bytes do not match the file's CRC-32: the file was damaged after it was written.</summary>
    ChecksumMismatch = 6,

    /// <summary>A header field holds a value no NetGen writes (for example an optimizer name longer than the limit).</summary>
    InvalidHeader = 7,

    /// <summary>The checkpoint was saved from another kind of optimizer, or one configured with other state.</summary>
    OptimizerMismatch = 8,

    /// <summary>The file goes on after the record's checksum.</summary>
    TrailingData = 9,

    /// <summary>
    /// The file holds a section this NetGen cannot read: one it does not know that the file marks as required, or a
    /// version of a known one that is newer than this NetGen.
    /// </summary>
    UnsupportedSection = 10,

    /// <summary>A preprocessing section is malformed or does not fit the network (a standardizer for another number of inputs).</summary>
    InvalidSection = 11,
}

/// <summary>
/// Thrown by <see cref="NetworkFile"/> when a file cannot be loaded: the <see cref="Reason"/> says why, and the message
/// gives the expected and found values. Whenever it is thrown, the network's parameters and the optimizer's state are
/// exactly as they were before the call.
/// </summary>
public sealed class NetworkFileException : IOException
{
    /// <summary>Creates the exception with a default message and <see cref="NetworkFileError.Unspecified"/> as its reason.</summary>
    public NetworkFileException()
        : base("The file is not a NetGen file this network can load.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and <see cref="NetworkFileError.Unspecified"/> as its reason.</summary>
    /// <param name="message">What was wrong.</param>
    public NetworkFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>, the error that caused it, and <see cref="NetworkFileError.Unspecified"/> as its reason.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The error that caused this one.</param>
    public NetworkFileException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the file was refused.</param>
    /// <param name="message">What was wrong, with the expected and found values.</param>
    /// <param name="expected">The value this network or this NetGen expected, as text, if there is one.</param>
    /// <param name="found">The value found in the file, as text, if there is one.</param>
    public NetworkFileException(NetworkFileError reason, string message, string? expected = null, string? found = null)
        : base(message)
    {
        Reason = reason;
        Expected = expected;
        Found = found;
    }

    /// <summary>Why the file was refused.</summary>
    public NetworkFileError Reason { get; }

    /// <summary>The value expected (for example the network's fingerprint), or null when there is none to show.</summary>
    public string? Expected { get; }

    /// <summary>The value found in the file, or null when there is none to show.</summary>
    public string? Found { get; }
}
