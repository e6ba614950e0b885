using System.Numerics;
using System.Text;

namespace Beamwire.Terms.Text;

/// <summary>Parses Elixir term syntax: what <see cref="ElixirPrinter"/> and Elixir's <c>inspect</c> write.</summary>
internal sealed class ElixirParser(string text, TermParserOptions options)
{
    private readonly TextCursor _c = new(text, '#', c => c.StartsWith("#PID<") || c.StartsWith("#Reference<") || c.StartsWith("#Port<"));

    public ErlangTerm ParseWhole()
    {
        var term = ParseTerm();
        _c.SkipSpace();
        if (!_c.AtEnd) throw _c.Error("Expected the end of the term");
        return term;
    }

    private ErlangTerm ParseTerm()
    {
        _c.SkipSpace();
        char ch = _c.Peek();
        switch (ch)
        {
            case '{':
                _c.Pos++;
                return new ErlangTuple(_c.ReadSequence("}", ParseTerm));
            case '[':
                _c.Pos++;
                return ParseList();
            case '"':
                _c.Pos++;
                return ErlangBinary.FromUtf8(TextCursor.FromCodePoints(_c.ReadQuoted('"', Escape)));
            case '\'':
                _c.Pos++;
                return TextCursor.CodePointList(_c.ReadQuoted('\'', Escape));
            case '~' when _c.Peek(1) == 'c' && _c.Peek(2) is '"' or '\'':
                char q = _c.Peek(2);
                _c.Pos += 3;
                return TextCursor.CodePointList(_c.ReadQuoted(q, Escape));
            case ':' when _c.StartsWith(":::"):
                _c.Pos += 3;
                return TextCursor.Atom("::", _c.Pos - 2);
            case ':' when _c.Peek(1) != ':':
                _c.Pos++;
                return ParseColonAtom();
            case '?':
                _c.Pos++;
                return ErlangInteger.Create(_c.ReadCharLiteral(Escape));
            case '-' or '+' when char.IsAsciiDigit(_c.Peek(1)):
                _c.Pos++;
                return ParseNumber(ch == '-');
            case '%' when _c.Peek(1) == '{':
                _c.Pos += 2;
                return ParseMap();
            case '#':
                return ParseHashForm();
            case '<' when _c.Peek(1) == '<':
                _c.Pos += 2;
                return _c.ReadBinary(ParseSegment);
            case '&':
                _c.Pos++;
                return ParseCapture();
        }

        if (char.IsAsciiDigit(ch)) return ParseNumber(false);
        if (char.IsAsciiLetterUpper(ch)) return ParseAlias();
        if (char.IsLetter(ch) || ch == '_')
        {
            int start = _c.Pos;
            string word = ReadIdentifier();
            return word switch
            {
                "nil" or "true" or "false" => TextCursor.Atom(word, start),
                _ => throw new TermParseException($"`{word}` is a variable, not a term (atoms are written :{word})", start),
            };
        }

        throw _c.Error("Expected a term");
    }

    private ErlangList ParseList()
    {
        _c.Enter();
        var items = new List<ErlangTerm>();
        ErlangTerm? tail = null;
        if (!_c.Accept("]"))
        {
            do
            {
                // Keyword entries (`key: value`) may follow plain elements, never precede them.
                if (TryKeywordKey(out var key)) items.Add(new ErlangTuple(key, ParseTerm()));
                else items.Add(ParseTerm());
            }
            while (_c.Accept(","));
            if (_c.Accept("|")) tail = ParseTerm();
            _c.Expect("]");
        }

        _c.Leave();
        return items.Count == 0 ? ErlangList.Nil : new ErlangList(items.ToArray(), tail);
    }

    private ErlangMap ParseMap()
    {
        _c.Enter();
        var entries = new List<KeyValuePair<ErlangTerm, ErlangTerm>>();
        if (!_c.Accept("}"))
        {
            do
            {
                if (TryKeywordKey(out var key))
                {
                    entries.Add(new(key, ParseTerm()));
                }
                else
                {
                    var k = ParseTerm();
                    _c.Expect("=>");
                    entries.Add(new(k, ParseTerm()));
                }
            }
            while (_c.Accept(","));
            _c.Expect("}");
        }

        _c.Leave();
        return entries.Count == 0 ? ErlangMap.Empty : new ErlangMap(entries);
    }

    // `name: ` or `"quoted": ` (the colon followed by space).
    private bool TryKeywordKey(out ErlangAtom key)
    {
        _c.SkipSpace();
        int start = _c.Pos;
        key = null!;
        string? name = null;
        if (_c.Peek() == '"')
        {
            _c.Pos++;
            try
            {
                name = TextCursor.FromCodePoints(_c.ReadQuoted('"', Escape));
            }
            catch (TermParseException)
            {
                _c.Pos = start;
                return false;
            }
        }
        else if (char.IsLetter(_c.Peek()) || _c.Peek() == '_')
        {
            name = ReadIdentifier();
        }

        if (name is not null && _c.Peek() == ':' && (char.IsWhiteSpace(_c.Peek(1)) || _c.Peek(1) == '\0'))
        {
            _c.Pos++;
            key = TextCursor.Atom(name, start);
            return true;
        }

        _c.Pos = start;
        return false;
    }

    private string ReadIdentifier()
    {
        int start = _c.Pos;
        while (!_c.AtEnd)
        {
            var r = System.Text.Rune.GetRuneAt(_c.Text, _c.Pos);
            if (!(System.Text.Rune.IsLetterOrDigit(r) || r.Value is '_' or '@' || System.Text.Rune.GetUnicodeCategory(r) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark)) break;
            _c.Pos += r.Utf16SequenceLength;
        }

        if (_c.Peek() is '?' or '!') _c.Pos++;
        return _c.Text[start.._c.Pos];
    }

    private ErlangAtom ParseColonAtom()
    {
        int start = _c.Pos;
        if (_c.Peek() == '"')
        {
            _c.Pos++;
            return TextCursor.Atom(TextCursor.FromCodePoints(_c.ReadQuoted('"', Escape)), start);
        }

        if (char.IsLetter(_c.Peek()) || _c.Peek() == '_') return TextCursor.Atom(ReadIdentifier(), start);
        // An operator atom: the longest operator the text starts with.
        string? op = null;
        foreach (var candidate in ElixirPrinter.Operators)
            if (_c.StartsWith(candidate) && (op is null || candidate.Length > op.Length)) op = candidate;
        if (op is null) throw _c.Error("Expected an atom after `:`");
        _c.Pos += op.Length;
        return TextCursor.Atom(op, start);
    }

    // Foo.Bar is the atom :"Elixir.Foo.Bar".
    private ErlangAtom ParseAlias()
    {
        int start = _c.Pos;
        var sb = new StringBuilder();
        while (true)
        {
            int segment = _c.Pos;
            while (char.IsAsciiLetterOrDigit(_c.Peek()) || _c.Peek() == '_') _c.Pos++;
            sb.Append(_c.Text, segment, _c.Pos - segment);
            if (_c.Peek() == '.' && char.IsAsciiLetterUpper(_c.Peek(1)))
            {
                sb.Append('.');
                _c.Pos++;
            }
            else
            {
                break;
            }
        }

        string alias = sb.ToString();
        return TextCursor.Atom(alias == "Elixir" ? alias : "Elixir." + alias, start);
    }

    private ErlangTerm ParseNumber(bool negative)
    {
        if (_c.Peek() == '0' && _c.Peek(1) is 'x' or 'o' or 'b')
        {
            int radix = _c.Peek(1) switch { 'x' => 16, 'o' => 8, _ => 2 };
            _c.Pos += 2;
            var v = _c.ReadDigits(radix, underscores: true);
            return ErlangInteger.Create(negative ? -v : v);
        }

        return _c.ReadNumber(negative, underscores: true);
    }

    private ErlangTerm ParseHashForm()
    {
        if (_c.Accept("#PID<"))
        {
            var n = _c.ReadDottedNumbers('>');
            if (n.Count != 3) throw _c.Error("A pid is #PID<0.Id.Serial>");
            return new ErlangPid(options.Node, (uint)n[1], (uint)n[2], options.Creation);
        }

        if (_c.Accept("#Reference<"))
        {
            var n = _c.ReadDottedNumbers('>');
            if (n.Count is < 2 or > ErlangReference.MaxIds + 1) throw _c.Error("A reference has 1..5 id words");
            return new ErlangReference(options.Node, options.Creation, n.Skip(1).Reverse().Select(x => (uint)x).ToArray());
        }

        if (_c.Accept("#Port<"))
        {
            var n = _c.ReadDottedNumbers('>');
            if (n.Count != 2) throw _c.Error("A port is #Port<0.Id>");
            return new ErlangPort(options.Node, (ulong)n[1], options.Creation);
        }

        throw _c.Error("Expected #PID<, #Reference< or #Port<");
    }

    // &:lists.map/2 or &Enum.map/2.
    private ErlangExport ParseCapture()
    {
        _c.SkipSpace();
        ErlangAtom module;
        if (_c.Peek() == ':')
        {
            _c.Pos++;
            int start = _c.Pos;
            if (_c.Peek() == '"')
            {
                _c.Pos++;
                module = TextCursor.Atom(TextCursor.FromCodePoints(_c.ReadQuoted('"', Escape)), start);
            }
            else
            {
                while (!_c.AtEnd && (char.IsLetterOrDigit(_c.Peek()) || _c.Peek() is '_' or '@')) _c.Pos++;
                module = TextCursor.Atom(_c.Text[start.._c.Pos], start);
            }
        }
        else if (char.IsAsciiLetterUpper(_c.Peek()))
        {
            module = ParseAlias();
        }
        else
        {
            // nil, true, false: atoms Elixir writes bare.
            int start = _c.Pos;
            while (char.IsAsciiLetterLower(_c.Peek())) _c.Pos++;
            module = TextCursor.Atom(_c.Text[start.._c.Pos], start);
        }

        if (_c.Peek() != '.') throw _c.Error("Expected `.` after the module");
        _c.Pos++;
        int at = _c.Pos;
        var function = _c.Peek() == '"'
            ? TextCursor.Atom(TextCursor.FromCodePoints(ReadQuotedAfter()), at)
            : TextCursor.Atom(ReadIdentifier(), at);
        _c.Expect("/");
        _c.SkipSpace();
        var arity = _c.ReadDigits(10, underscores: false);
        if (arity > 255) throw _c.Error("An arity is at most 255");
        return new ErlangExport(module, function, (int)arity);
    }

    private List<int> ReadQuotedAfter()
    {
        _c.Pos++;
        return _c.ReadQuoted('"', Escape);
    }

    private void ParseSegment(BitBuilder bits)
    {
        _c.SkipSpace();
        if (_c.Peek() == '"')
        {
            _c.Pos++;
            bits.AddBytes(Encoding.UTF8.GetBytes(TextCursor.FromCodePoints(_c.ReadQuoted('"', Escape))));
            return;
        }

        BigInteger value;
        if (_c.Accept("?")) value = _c.ReadCharLiteral(Escape);
        else if (_c.Accept("-")) value = -_c.ReadDigits(10, true);
        else value = _c.ReadDigits(10, true);
        int size = 8;
        if (_c.Accept("::"))
        {
            _c.SkipSpace();
            bool call = _c.StartsWith("size(");
            if (call) _c.Pos += 5;
            size = (int)BigInteger.Min(_c.ReadDigits(10, false), int.MaxValue);
            if (call) _c.Expect(")");
        }

        bits.Add(value, size);
    }

    // Elixir escapes: \a \b \d \e \f \n \r \s \t \v \0, \xHH, \x{H..}, \uHHHH, \u{H..}, and any other char as itself.
    private static int Escape(TextCursor c)
    {
        if (c.AtEnd) throw c.Error("Expected an escape");
        char e = c.Peek();
        c.Pos++;
        int common = TextCursor.CommonEscape(e);
        if (common >= 0) return common;
        switch (e)
        {
            case 'a': return 7;
            case '0': return 0;
            case 'x' or 'u':
                return c.Peek() == '{' ? c.ReadBracedHex() : c.ReadHex(e == 'x' ? 2 : 4);
            default:
                c.Pos--;
                return c.ReadCodePoint();
        }
    }
}
