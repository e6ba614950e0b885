namespace Beamwire.Terms;

/// <summary>
/// The bytes are not a valid external term (or break a <see cref="TermDecoderOptions"/> limit).
/// <see cref="Offset"/> is where in the input the problem is; the message says what was expected there.
/// </summary>
public sealed class TermDecodeException : Exception
{
    public TermDecodeException()
        : this("The bytes are not a valid external term.", 0)
    {
    }

    public TermDecodeException(string message)
        : this(message, 0)
    {
    }

    public TermDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TermDecodeException(string message, long offset)
        : base(message + $" (at offset {offset})")
    {
        Offset = offset;
        Reason = message;
    }

    public TermDecodeException(string message, long offset, Exception? innerException)
        : base(message + $" (at offset {offset})", innerException)
    {
        Offset = offset;
        Reason = message;
    }

    /// <summary>The byte offset in the input where decoding failed.</summary>
    public long Offset { get; }

    /// <summary>The message without the offset.</summary>
    public string Reason { get; } = "";
}
