using Beamwire.Terms;
using Beamwire.Terms.Text;

namespace Beamwire.Cli.Shell.Syntax;

/// <summary>
/// Splits a shell input into tokens by Elixir's or Erlang's rules. Every literal (numbers, atoms,
/// strings, charlists, characters, with their escapes) is read by Beamwire.Terms' literal readers,
/// the ones <see cref="TermParser"/> uses, so a literal means the same at the prompt and in a parsed
/// term; this class only adds what expressions have beyond terms: names, operators, keywords,
/// Elixir's <c>#{...}</c> interpolation and line breaks.
/// </summary>
internal sealed class Lexer
{
    /// <summary>Longest first, so that <c>===</c> is not read as <c>==</c> and <c>=</c>.</summary>
    private static readonly string[] ElixirPuncts =
        ["===", "!==", "\\\\", "|>", "<>", "++", "--", "==", "!=", "<=", ">=", "&&", "||", "->", "=>", "<<", ">>", "%{", "::", "..", "**", "=~", "<-",
         "|", "(", ")", "{", "}", "[", "]", ",", ";", ".", "=", "!", "-", "+", "*", "/", "<", ">", "&", "^", "@", "%", "~"];

    private static readonly string[] ErlangPuncts =
        ["=:=", "=/=", "==", "/=", "=<", ">=", "++", "--", "->", "=>", ":=", "<<", ">>", "#{", "||", "<-", "::",
         "|", "(", ")", "{", "}", "[", "]", ",", ";", ".", ":", "=", "!", "-", "+", "*", "/", "<", ">", "#", "?"];

    private static readonly HashSet<string> ElixirKeywords = new(StringComparer.Ordinal)
    {
        "do", "end", "after", "receive", "when", "fn", "case", "cond", "if", "unless", "try", "with", "for", "quote", "unquote",
        "catch", "rescue", "else", "and", "or", "not", "in", "import", "alias", "require", "defmodule", "def", "defp",
    };

    private static readonly HashSet<string> ErlangKeywords = new(StringComparer.Ordinal)
    {
        "end", "after", "receive", "when", "fun", "case", "of", "begin", "if", "try", "catch", "maybe", "else",
        "div", "rem", "band", "bor", "bxor", "bsl", "bsr", "bnot", "and", "or", "xor", "not", "andalso", "orelse",
    };

    /// <summary>Interpolations inside interpolations; deeper is refused rather than recursing without bound.</summary>
    private const int MaxInterpolationDepth = 32;

    private readonly TextCursor _c;
    private readonly Dialect _dialect;
    private readonly int _depth;

    private Lexer(TextCursor cursor, Dialect dialect, int depth)
    {
        _c = cursor;
        _dialect = dialect;
        _depth = depth;
    }

    public static List<Token> Tokenize(string source, Dialect dialect) =>
        new Lexer(new TextCursor(source, dialect == Dialect.Elixir ? '#' : '%'), dialect, 0).Run(untilBrace: false);

    private List<Token> Run(bool untilBrace)
    {
        var tokens = new List<Token>();
        var braces = 0;
        while (true)
        {
            SkipSpaceAndComments();
            var start = _c.Pos;
            if (_c.AtEnd)
            {
                if (untilBrace) throw new SyntaxException("missing terminator: } (for \"#{\")", start + 1, incomplete: true);
                tokens.Add(new Token(TokenKind.End, "", start + 1));
                return tokens;
            }

            if (_c.Peek() == '\n')
            {
                _c.Pos++;
                if (_dialect == Dialect.Elixir) tokens.Add(new Token(TokenKind.Newline, "\n", start + 1));
                continue;
            }

            var token = Next(start);
            if (untilBrace && token.Kind == TokenKind.Punct)
            {
                if (token.Text is "{" or "%{" or "#{") braces++;
                else if (token.Text == "}" && braces-- == 0)
                {
                    tokens.Add(new Token(TokenKind.End, "", start + 1));
                    return tokens;
                }
            }

            tokens.Add(token);
        }
    }

    private void SkipSpaceAndComments()
    {
        var comment = _dialect == Dialect.Elixir ? '#' : '%';
        while (!_c.AtEnd)
        {
            var ch = _c.Peek();
            if (ch is ' ' or '\t' or '\r' or '\f' or '\v') _c.Pos++;
            else if (ch == comment) while (!_c.AtEnd && _c.Peek() != '\n') _c.Pos++;
            else return;
        }
    }

    private Token Next(int start)
    {
        var ch = _c.Peek();
        try
        {
            return _dialect == Dialect.Elixir ? ElixirToken(ch, start) : ErlangToken(ch, start);
        }
        catch (TermParseException ex)
        {
            // The literal readers' errors; at the end of the input more lines may complete the literal.
            var at = ex.Position > start ? ex.Position : start;
            throw new SyntaxException(ex.Reason ?? ex.Message, at + 1, incomplete: ex.AtEndOfText) { InLiteral = true };
        }
    }

    private Token ElixirToken(char ch, int start)
    {
        if (char.IsAsciiDigit(ch)) return Lit(start, ElixirLiterals.ReadNumber(_c, negative: false));
        switch (ch)
        {
            case '"':
                return ElixirString(start);
            case '\'':
                _c.Pos++;
                return Lit(start, ElixirLiterals.ReadCharList(_c, '\''));
            case '~' when _c.Peek(1) == 'c' && _c.Peek(2) is '"' or '\'':
                var quote = _c.Peek(2);
                _c.Pos += 3;
                return Lit(start, ElixirLiterals.ReadCharList(_c, quote));
            case '~' when char.IsAsciiLetter(_c.Peek(1)):
                throw new SyntaxException($"the sigil ~{_c.Peek(1)} is not supported in this shell (~c is)", start + 1);
            case ':' when _c.Peek(1) != ':' && !char.IsWhiteSpace(_c.Peek(1)) && _c.Peek(1) != '\0':
                _c.Pos++;
                return Lit(start, ElixirLiterals.ReadColonAtom(_c));
            case '?' when _c.Pos + 1 < _c.Text.Length:
                _c.Pos++;
                return Lit(start, ElixirLiterals.ReadCharLiteral(_c));
        }

        if (char.IsAsciiLetterUpper(ch)) return new Token(TokenKind.Alias, ReadName(suffix: false), start + 1);
        if (char.IsAsciiLetterLower(ch) || ch == '_')
        {
            var name = ReadName(suffix: true);
            if (_c.Peek() == ':' && (_c.Peek(1) is ' ' or '\t' or '\n' or '\r' or '\0'))
            {
                _c.Pos++;
                return new Token(TokenKind.KeywordKey, name + ":", start + 1, TextCursor.Atom(name, start));
            }

            return name switch
            {
                "true" => Lit(start, ErlangAtom.True),
                "false" => Lit(start, ErlangAtom.False),
                "nil" => Lit(start, ErlangAtom.Nil),
                _ when ElixirKeywords.Contains(name) => new Token(TokenKind.Keyword, name, start + 1),
                _ => new Token(TokenKind.Ident, name, start + 1),
            };
        }

        return Punct(ElixirPuncts, ch, start);
    }

    private Token ErlangToken(char ch, int start)
    {
        if (char.IsAsciiDigit(ch)) return Lit(start, ErlangLiterals.ReadNumber(_c, negative: false));
        switch (ch)
        {
            case '"':
                return Lit(start, ErlangLiterals.ReadStrings(_c));
            case '\'':
                _c.Pos++;
                return Lit(start, ErlangLiterals.ReadQuotedAtom(_c));
            case '$':
                _c.Pos++;
                return Lit(start, ErlangLiterals.ReadCharLiteral(_c));
        }

        if (char.IsAsciiLetterUpper(ch) || ch == '_') return new Token(TokenKind.Var, ReadName(suffix: false), start + 1);
        if (ErlangLiterals.IsAtomStart(ch))
        {
            var atom = ErlangLiterals.ReadBareAtom(_c);
            return ErlangKeywords.Contains(atom.Name) ? new Token(TokenKind.Keyword, atom.Name, start + 1) : Lit(start, atom);
        }

        return Punct(ErlangPuncts, ch, start);
    }

    private Token Punct(string[] puncts, char ch, int start)
    {
        foreach (var p in puncts)
        {
            if (_c.StartsWith(p))
            {
                _c.Pos += p.Length;
                return new Token(TokenKind.Punct, p, start + 1);
            }
        }

        throw new SyntaxException($"unexpected character '{(char.IsControl(ch) ? $"\\u{(int)ch:X4}" : ch.ToString())}'", start + 1);
    }

    /// <summary>
    /// An Elixir string, read by the term parser's string reader; each <c>#{...}</c> in it is lexed as
    /// tokens of its own (the reader stops before it and resumes after its closing brace).
    /// </summary>
    private Token ElixirString(int start)
    {
        _c.Pos++;
        var parts = new List<object>();
        while (true)
        {
            var chars = _c.ReadQuoted('"', ElixirLiterals.Escape, stopAtInterpolation: true, out var interpolation);
            if (chars.Count > 0 || parts.Count == 0) parts.Add(ErlangBinary.FromUtf8(TextCursor.FromCodePoints(chars)));
            if (!interpolation) break;
            if (_depth >= MaxInterpolationDepth) throw new SyntaxException($"interpolations nest deeper than {MaxInterpolationDepth}", _c.Pos + 1);
            _c.Pos += 2;
            parts.Add(new Lexer(_c, _dialect, _depth + 1).Run(untilBrace: true));
        }

        return parts is [ErlangBinary only] ? Lit(start, only) : new Token(TokenKind.Interpolation, "string", start + 1, null, parts);
    }

    private static Token Lit(int start, ErlangTerm value) => new(TokenKind.Literal, value.ToString(), start + 1, value);

    private string ReadName(bool suffix)
    {
        var start = _c.Pos;
        while (char.IsAsciiLetterOrDigit(_c.Peek()) || _c.Peek() == '_') _c.Pos++;
        if (suffix && _c.Peek() is '?' or '!') _c.Pos++;
        return _c.Text[start.._c.Pos];
    }
}
