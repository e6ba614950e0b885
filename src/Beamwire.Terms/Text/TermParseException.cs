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
    }

    /// <summary>The character offset in the text where the problem is.</summary>
    public int Position { get; }
}
