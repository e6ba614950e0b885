namespace Beamwire.Terms;

/// <summary>Text is not a term in the expected syntax; <see cref="Position"/> is where parsing stopped.</summary>
public sealed class TermParseException : FormatException
{
    public TermParseException()
    {
    }

    public TermParseException(string message)
        : base(message)
    {
    }

    public TermParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TermParseException(string message, int position)
        : base($"{message} (at position {position})")
    {
        Position = position;
        Reason = message;
    }

    /// <summary>The message without its position, for a reader that reports positions its own way (the shell).</summary>
    internal string? Reason { get; }

    /// <summary>The text ended where more was expected: more text (another line at a prompt) may complete it.</summary>
    internal bool AtEndOfText { get; init; }

    /// <summary>The character offset in the text where the problem is.</summary>
    public int Position { get; }
}
