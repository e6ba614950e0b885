namespace Beamwire.Cli.Shell.Syntax;

/// <summary>The cursor both parsers share: peek, take, expect, and errors that say what was found where.</summary>
internal class TokenStream(List<Token> tokens)
{
    private int _pos;

    protected Token Current => tokens[_pos];

    protected Token PeekAt(int ahead) => tokens[Math.Min(_pos + ahead, tokens.Count - 1)];

    protected int Position
    {
        get => _pos;
        set => _pos = value;
    }

    protected Token Take()
    {
        var t = tokens[_pos];
        if (_pos < tokens.Count - 1) _pos++;
        return t;
    }

    protected bool At(string punct) => Current.Is(punct);

    protected bool AtEnd => Current.Kind == TokenKind.End;

    protected bool TryTake(string punct)
    {
        if (!At(punct)) return false;
        Take();
        return true;
    }

    protected Token Expect(string punct)
    {
        if (At(punct)) return Take();
        throw Unexpected($"expected '{punct}'");
    }

    protected void SkipNewlines()
    {
        while (Current.Kind == TokenKind.Newline) Take();
    }

    /// <summary>An error at the current token; at the end of input it is "incomplete" (more lines may follow).</summary>
    protected SyntaxException Unexpected(string? expected = null)
    {
        var t = Current;
        var what = t.Kind == TokenKind.End ? "unexpected end of input" : $"syntax error before: {Show(t)}";
        return new SyntaxException(expected is null ? what : $"{what} ({expected})", t.Column, incomplete: t.Kind == TokenKind.End);
    }

    private static string Show(Token t) => t.Kind switch
    {
        TokenKind.Newline => "end of line",
        TokenKind.Literal when t.Value is Beamwire.Terms.ErlangBinary => "string",
        _ => t.Text,
    };
}
