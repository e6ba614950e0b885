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
                return ElixirLiterals.ReadString(_c);
            case '\'':
                _c.Pos++;
                return ElixirLiterals.ReadCharList(_c, '\'');
            case '~' when _c.Peek(1) == 'c' && _c.Peek(2) is '"' or '\'':
                char q = _c.Peek(2);
                _c.Pos += 3;
                return ElixirLiterals.ReadCharList(_c, q);
            case ':' when _c.StartsWith(":::"):
                _c.Pos += 3;
                return TextCursor.Atom("::", _c.Pos - 2);
            case ':' when _c.Peek(1) != ':':
                _c.Pos++;
                return ElixirLiterals.ReadColonAtom(_c);
            case '?':
                _c.Pos++;
                return ElixirLiterals.ReadCharLiteral(_c);
            case '-' or '+' when char.IsAsciiDigit(_c.Peek(1)):
                _c.Pos++;
                return ElixirLiterals.ReadNumber(_c, ch == '-');
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

        if (char.IsAsciiDigit(ch)) return ElixirLiterals.ReadNumber(_c, false);
        if (char.IsAsciiLetterUpper(ch)) return ElixirLiterals.ReadAlias(_c);
        if (char.IsLetter(ch) || ch == '_')
        {
            int start = _c.Pos;
            string word = ElixirLiterals.ReadIdentifier(_c);
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
                name = TextCursor.FromCodePoints(_c.ReadQuoted('"', ElixirLiterals.Escape));
            }
            catch (TermParseException)
            {
                _c.Pos = start;
                return false;
            }
        }
        else if (char.IsLetter(_c.Peek()) || _c.Peek() == '_')
        {
            name = ElixirLiterals.ReadIdentifier(_c);
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
                module = TextCursor.Atom(TextCursor.FromCodePoints(_c.ReadQuoted('"', ElixirLiterals.Escape)), start);
            }
            else
            {
                while (!_c.AtEnd && (char.IsLetterOrDigit(_c.Peek()) || _c.Peek() is '_' or '@')) _c.Pos++;
                module = TextCursor.Atom(_c.Text[start.._c.Pos], start);
            }
        }
        else if (char.IsAsciiLetterUpper(_c.Peek()))
        {
            module = ElixirLiterals.ReadAlias(_c);
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
            : TextCursor.Atom(ElixirLiterals.ReadIdentifier(_c), at);
        _c.Expect("/");
        _c.SkipSpace();
        var arity = _c.ReadDigits(10, underscores: false);
        if (arity > 255) throw _c.Error("An arity is at most 255");
        return new ErlangExport(module, function, (int)arity);
    }

    private List<int> ReadQuotedAfter()
    {
        _c.Pos++;
        return _c.ReadQuoted('"', ElixirLiterals.Escape);
    }

    private void ParseSegment(BitBuilder bits)
    {
        _c.SkipSpace();
        if (_c.Peek() == '"')
        {
            _c.Pos++;
            bits.AddBytes(Encoding.UTF8.GetBytes(TextCursor.FromCodePoints(_c.ReadQuoted('"', ElixirLiterals.Escape))));
            return;
        }

        BigInteger value;
        if (_c.Accept("?")) value = _c.ReadCharLiteral(ElixirLiterals.Escape);
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
}
