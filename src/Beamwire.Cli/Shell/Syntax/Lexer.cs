using System.Globalization;
using System.Numerics;
using System.Text;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Syntax;

/// <summary>
/// Splits a shell line into tokens, by Elixir's or Erlang's rules: what an atom, a variable, a string
/// and a comment look like differ; numbers, tuples, lists and maps are shared.
/// </summary>
internal sealed class Lexer
{
    private static readonly string[] Puncts =
        ["<<", ">>", "->", "=>", ":=", "%{", "#{", "::", "|", "(", ")", "{", "}", "[", "]", ",", ";", ".", ":", "=", "!", "-", "+", "*", "/", "%", "#", "<", ">", "&", "^"];

    private static readonly HashSet<string> ElixirKeywords = new(StringComparer.Ordinal) { "do", "end", "after", "receive", "when", "fn", "case", "cond" };
    private static readonly HashSet<string> ErlangKeywords = new(StringComparer.Ordinal) { "end", "after", "receive", "when", "fun", "case", "of", "begin", "if" };

    private readonly string _s;
    private readonly Dialect _dialect;
    private int _i;

    private Lexer(string source, Dialect dialect)
    {
        _s = source;
        _dialect = dialect;
    }

    public static List<Token> Tokenize(string source, Dialect dialect) => new Lexer(source, dialect).Run();

    private List<Token> Run()
    {
        var tokens = new List<Token>();
        while (true)
        {
            SkipSpaceAndComments();
            if (_i >= _s.Length)
            {
                tokens.Add(new Token(TokenKind.End, "", _i + 1));
                return tokens;
            }

            var start = _i;
            var c = _s[_i];
            if (c == '\n')
            {
                _i++;
                tokens.Add(new Token(TokenKind.Newline, "\n", start + 1));
                continue;
            }

            tokens.Add(Next(c, start));
        }
    }

    private void SkipSpaceAndComments()
    {
        while (_i < _s.Length)
        {
            var c = _s[_i];
            if (c is ' ' or '\t' or '\r')
            {
                _i++;
            }
            else if (c == (_dialect == Dialect.Elixir ? '#' : '%') && !(_dialect == Dialect.Elixir && Peek(1) == '{'))
            {
                while (_i < _s.Length && _s[_i] != '\n') _i++;
            }
            else
            {
                return;
            }
        }
    }

    private char Peek(int ahead) => _i + ahead < _s.Length ? _s[_i + ahead] : '\0';

    private Token Next(char c, int start)
    {
        if (char.IsAsciiDigit(c)) return Number(start);
        if (c == '"') return Lit(start, StringLiteral(ReadQuoted('"', start)));

        if (_dialect == Dialect.Elixir)
        {
            if (c == '\'') return Lit(start, CharList(ReadQuoted('\'', start)));
            if (c == '~' && Peek(1) == 'c' && Peek(2) is '"' or '\'')
            {
                _i += 2;
                return Lit(start, CharList(ReadQuoted(_s[_i], start)));
            }

            if (c == ':' && Peek(1) == '"')
            {
                _i++;
                return Lit(start, Atom(ReadQuoted('"', start), start));
            }

            if (c == ':' && (char.IsAsciiLetter(Peek(1)) || Peek(1) == '_'))
            {
                _i++;
                return Lit(start, Atom(ReadName(allowAt: true, allowSuffix: true), start));
            }

            if (char.IsAsciiLetterUpper(c))
                return new Token(TokenKind.Alias, ReadName(allowAt: false, allowSuffix: false), start + 1);

            if (char.IsAsciiLetterLower(c) || c == '_')
            {
                var name = ReadName(allowAt: false, allowSuffix: true);
                if (Peek(0) == ':' && Peek(1) is ' ' or '\t' or '\n' or '\0')
                {
                    _i++;
                    return new Token(TokenKind.KeywordKey, name + ":", start + 1, Atom(name, start));
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
        }
        else
        {
            if (c == '\'') return Lit(start, Atom(ReadQuoted('\'', start), start));
            if (c == '$' && _i + 1 < _s.Length)
            {
                _i++;
                var ch = ReadChar('\0', start);
                return Lit(start, ErlangInteger.Create(ch));
            }

            if (char.IsAsciiLetterUpper(c) || c == '_')
                return new Token(TokenKind.Var, ReadName(allowAt: false, allowSuffix: false), start + 1);
            if (char.IsAsciiLetterLower(c))
            {
                var name = ReadName(allowAt: true, allowSuffix: false);
                return ErlangKeywords.Contains(name)
                    ? new Token(TokenKind.Keyword, name, start + 1)
                    : Lit(start, Atom(name, start));
            }
        }

        foreach (var p in Puncts)
        {
            if (string.CompareOrdinal(_s, _i, p, 0, p.Length) == 0)
            {
                _i += p.Length;
                return new Token(TokenKind.Punct, p, start + 1);
            }
        }

        throw new SyntaxException($"unexpected character '{c}'", start + 1);
    }

    private static Token Lit(int start, ErlangTerm value) => new(TokenKind.Literal, value.ToString(), start + 1, value);

    private string ReadName(bool allowAt, bool allowSuffix)
    {
        var start = _i;
        while (_i < _s.Length && (char.IsAsciiLetterOrDigit(_s[_i]) || _s[_i] == '_' || (allowAt && _s[_i] == '@'))) _i++;
        if (allowSuffix && _i < _s.Length && _s[_i] is '?' or '!') _i++;
        return _s[start.._i];
    }

    private static ErlangAtom Atom(string name, int start)
    {
        if (name.Length > ErlangAtom.MaxLength) throw new SyntaxException($"atom longer than {ErlangAtom.MaxLength} characters", start + 1);
        return ErlangAtom.Get(name);
    }

    private Token Number(int start)
    {
        if (_s[_i] == '0' && Peek(1) is 'x' or 'X' && _dialect == Dialect.Elixir)
        {
            _i += 2;
            var hs = _i;
            while (_i < _s.Length && (char.IsAsciiHexDigit(_s[_i]) || _s[_i] == '_')) _i++;
            var hex = _s[hs.._i].Replace("_", "", StringComparison.Ordinal);
            if (hex.Length == 0) throw new SyntaxException("invalid hexadecimal number", start + 1);
            return Lit(start, ErlangInteger.Create(BigInteger.Parse("0" + hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)));
        }

        var digits = Digits();
        if (_dialect == Dialect.Erlang && Peek(0) == '#')
        {
            // Erlang's Base#Digits.
            var radix = int.Parse(digits, CultureInfo.InvariantCulture);
            if (radix is < 2 or > 36) throw new SyntaxException($"invalid base {radix}", start + 1);
            _i++;
            var ds = _i;
            while (_i < _s.Length && char.IsAsciiLetterOrDigit(_s[_i])) _i++;
            BigInteger v = 0;
            foreach (var ch in _s[ds.._i])
            {
                var d = char.IsAsciiDigit(ch) ? ch - '0' : char.ToLowerInvariant(ch) - 'a' + 10;
                if (d >= radix) throw new SyntaxException($"invalid digit '{ch}' for base {radix}", start + 1);
                v = v * radix + d;
            }

            return Lit(start, ErlangInteger.Create(v));
        }

        if (Peek(0) == '.' && char.IsAsciiDigit(Peek(1)))
        {
            _i++;
            var frac = Digits();
            var exp = "";
            if (Peek(0) is 'e' or 'E' && (char.IsAsciiDigit(Peek(1)) || (Peek(1) is '-' or '+' && char.IsAsciiDigit(Peek(2)))))
            {
                var es = _i;
                _i += Peek(1) is '-' or '+' ? 2 : 1;
                Digits();
                exp = _s[es.._i];
            }

            var d = double.Parse(digits + "." + frac + exp, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!double.IsFinite(d)) throw new SyntaxException("float out of range", start + 1);
            return Lit(start, new ErlangFloat(d));
        }

        return Lit(start, ErlangInteger.Create(BigInteger.Parse(digits, CultureInfo.InvariantCulture)));
    }

    private string Digits()
    {
        var start = _i;
        while (_i < _s.Length && (char.IsAsciiDigit(_s[_i]) || (_s[_i] == '_' && _dialect == Dialect.Elixir && char.IsAsciiDigit(Peek(1))))) _i++;
        return _s[start.._i].Replace("_", "", StringComparison.Ordinal);
    }

    private string ReadQuoted(char quote, int start)
    {
        _i++; // the opening quote
        var sb = new StringBuilder();
        while (true)
        {
            if (_i >= _s.Length) throw new SyntaxException($"missing terminator: {quote}", start + 1, incomplete: true);
            var c = _s[_i];
            if (c == quote)
            {
                _i++;
                return sb.ToString();
            }

            if (_dialect == Dialect.Elixir && c == '#' && Peek(1) == '{')
                throw new SyntaxException("string interpolation #{...} is not supported in this shell", _i + 1);
            sb.Append(char.ConvertFromUtf32(ReadChar(quote, start)));
        }
    }

    /// <summary>One character of a string, atom or <c>$c</c>, with backslash escapes.</summary>
    private int ReadChar(char quote, int start)
    {
        var c = _s[_i];
        if (c != '\\')
        {
            var r = Rune.GetRuneAt(_s, _i);
            _i += r.Utf16SequenceLength;
            return r.Value;
        }

        _i++;
        if (_i >= _s.Length) throw new SyntaxException($"missing terminator: {quote}", start + 1, incomplete: true);
        var e = _s[_i++];
        switch (e)
        {
            case 'n': return '\n';
            case 't': return '\t';
            case 'r': return '\r';
            case 's': return ' ';
            case 'e': return 27;
            case 'b': return '\b';
            case 'f': return '\f';
            case 'v': return '\v';
            case 'd': return 127;
            case '0' when _dialect == Dialect.Elixir: return 0;
            case 'x':
                {
                    var hs = _i;
                    if (Peek(0) == '{')
                    {
                        _i++;
                        hs = _i;
                        while (_i < _s.Length && _s[_i] != '}') _i++;
                        var v = int.Parse(_s[hs.._i], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                        _i++;
                        return v;
                    }

                    while (_i < _s.Length && _i - hs < 2 && char.IsAsciiHexDigit(_s[_i])) _i++;
                    return int.Parse(_s[hs.._i], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                }

            default:
                if (_dialect == Dialect.Erlang && e is >= '0' and <= '7')
                {
                    var v = e - '0';
                    for (var k = 0; k < 2 && Peek(0) is >= '0' and <= '7'; k++) v = v * 8 + (_s[_i++] - '0');
                    return v;
                }

                return e;
        }
    }

    private ErlangTerm StringLiteral(string text) => _dialect == Dialect.Elixir ? ErlangBinary.FromUtf8(text) : CharList(text);

    private static ErlangList CharList(string text)
    {
        if (text.Length == 0) return ErlangList.Nil;
        var codes = new List<ErlangTerm>(text.Length);
        foreach (var r in text.EnumerateRunes()) codes.Add(ErlangInteger.Create(r.Value));
        return new ErlangList([.. codes]);
    }
}
