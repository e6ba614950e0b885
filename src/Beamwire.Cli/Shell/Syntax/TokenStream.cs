namespace Beamwire.Cli.Shell.Syntax;

/// <summary>The cursor both parsers share: peek, take, expect, and errors that say what was found where.</summary>
internal class TokenStream(List<Token> tokens)
{
    /// <summary>Nesting the parsers follow before refusing: a bound on recursion, so no input can exhaust the stack.</summary>
    private const int MaxDepth = 200;

    private int _pos;
    private int _depth;

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

    /// <summary>Counts one level of nesting (<see cref="Leave"/> undoes it).</summary>
    protected void Enter()
    {
        if (++_depth > MaxDepth) throw new SyntaxException($"expression nests deeper than {MaxDepth} levels", Current.Column);
    }

    protected void Leave() => _depth--;

    /// <summary>A construct the shell does not evaluate, named in one line.</summary>
    protected static SyntaxException Unsupported(string what, Token at) =>
        new($"{what} is not supported in this shell (it evaluates literals, variables, operators, calls, fn and receive)", at.Column);

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
        TokenKind.Interpolation => "string",
        _ => t.Text,
    };
}
