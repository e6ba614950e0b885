using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Syntax;

internal enum TokenKind
{
    /// <summary>A literal term: number, atom, string, charlist (<see cref="Token.Value"/>).</summary>
    Literal,

    /// <summary>A variable (Elixir: lowercase identifier; Erlang: capitalised).</summary>
    Var,

    /// <summary>An Elixir lowercase identifier that is not yet known to be a variable or a call.</summary>
    Ident,

    /// <summary>An Elixir alias (<c>Node</c>, <c>GenServer</c>).</summary>
    Alias,

    /// <summary>An Elixir keyword key, <c>a:</c> in <c>[a: 1]</c> (<see cref="Token.Value"/> is the atom).</summary>
    KeywordKey,

    /// <summary>A reserved word: Elixir's do, end, fn, receive, and, or, not...; Erlang's end, fun, receive, div, rem, andalso, orelse...</summary>
    Keyword,

    /// <summary>An Elixir string with <c>#{...}</c> in it (<see cref="Token.Parts"/>).</summary>
    Interpolation,

    /// <summary>Punctuation or an operator (<see cref="Token.Text"/>).</summary>
    Punct,

    /// <summary>A line break (a separator in Elixir).</summary>
    Newline,

    End,
}

/// <summary>
/// One token with its column (1-based offset in the input; the prompt turns it into line and column)
/// for error messages. An <see cref="TokenKind.Interpolation"/> has <see cref="Parts"/>: the text
/// between interpolations as binaries, and each <c>#{...}</c> as its own tokens (ending in End).
/// </summary>
internal sealed record Token(TokenKind Kind, string Text, int Column, ErlangTerm? Value = null, IReadOnlyList<object>? Parts = null)
{
    public bool Is(string punct) => Kind is TokenKind.Punct or TokenKind.Keyword && Text == punct;

    public override string ToString() => Kind == TokenKind.End ? "end of input" : Kind == TokenKind.Newline ? "end of line" : Text;
}
