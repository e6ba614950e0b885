namespace Beamwire.Cli.Shell.Syntax;

/// <summary>Input the shell cannot read. <see cref="Incomplete"/> means "more lines may complete it" (iex's <c>...></c> prompt).</summary>
internal sealed class SyntaxException : Exception
{
    public SyntaxException(string message, int column, bool incomplete = false) : base(message)
    {
        Column = column;
        Incomplete = incomplete;
    }

    public SyntaxException() { }

    public SyntaxException(string message) : base(message) { }

    public SyntaxException(string message, Exception innerException) : base(message, innerException) { }

    public int Column { get; }

    public bool Incomplete { get; }

    /// <summary>A literal is wrong (a bad escape, a code point out of range): no other reading of the line can fix it.</summary>
    public bool InLiteral { get; init; }
}
