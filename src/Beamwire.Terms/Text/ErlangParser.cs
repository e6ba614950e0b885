using System.Globalization;
using System.Numerics;
using System.Text;

namespace Beamwire.Terms.Text;

/// <summary>Parses Erlang term syntax: what <see cref="ErlangPrinter"/> and erl's <c>~p</c> write.</summary>
internal sealed class ErlangParser(string text, TermParserOptions options)
{
    private readonly TextCursor _c = new(text, '%');

    public ErlangTerm ParseWhole()
    {
        var term = ParseTerm();
        _c.Accept(".");
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
                return ParseStrings();
            case '\'':
                _c.Pos++;
                int at = _c.Pos;
                return TextCursor.Atom(TextCursor.FromCodePoints(_c.ReadQuoted('\'', Escape)), at);
            case '$':
                _c.Pos++;
                return ErlangInteger.Create(_c.ReadCharLiteral(Escape));
            case '-' or '+' when char.IsAsciiDigit(_c.Peek(1)):
                _c.Pos++;
                return ParseNumber(ch == '-');
            case '#':
                return ParseHash();
            case '<' when _c.Peek(1) == '<':
                _c.Pos += 2;
                return _c.ReadBinary(ParseSegment);
            case '<':
                _c.Pos++;
                return ParsePid();
        }

        if (char.IsAsciiDigit(ch)) return ParseNumber(false);
        if (_c.StartsWith("fun") && !IsNameChar(_c.Peek(3))) return ParseExport();
        if (IsAtomStart(ch))
        {
            int start = _c.Pos;
            while (IsNameChar(_c.Peek())) _c.Pos++;
            return TextCursor.Atom(_c.Text[start.._c.Pos], start);
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
            do items.Add(ParseTerm());
            while (_c.Accept(","));
            if (_c.Accept("|")) tail = ParseTerm();
            _c.Expect("]");
        }

        _c.Leave();
        if (items.Count == 0) return ErlangList.Nil;
        return new ErlangList(items.ToArray(), tail);
    }

    private ErlangTerm ParseStrings()
    {
        // Adjacent string literals concatenate, as in Erlang source.
        var chars = new List<int>();
        while (_c.Accept("\""))
        {
            chars.AddRange(_c.ReadQuoted('"', Escape));
            _c.SkipSpace();
            if (_c.Peek() != '"') break;
        }

        return TextCursor.CodePointList(chars);
    }

    private ErlangTerm ParseNumber(bool negative)
    {
        int start = _c.Pos;
        var whole = _c.ReadDigits(10, underscores: true);
        if (_c.Peek() == '#')
        {
            if (whole < 2 || whole > 36) throw new TermParseException($"Base {whole} is not 2..36", start);
            _c.Pos++;
            var v = _c.ReadDigits((int)whole, underscores: true);
            return ErlangInteger.Create(negative ? -v : v);
        }

        _c.Pos = start;
        return _c.ReadNumber(negative, underscores: true);
    }

    private ErlangTerm ParseHash()
    {
        if (_c.Accept("#{"))
        {
            _c.Enter();
            var entries = new List<KeyValuePair<ErlangTerm, ErlangTerm>>();
            if (!_c.Accept("}"))
            {
                do
                {
                    var key = ParseTerm();
                    _c.Expect("=>");
                    entries.Add(new(key, ParseTerm()));
                }
                while (_c.Accept(","));
                _c.Expect("}");
            }

            _c.Leave();
            return entries.Count == 0 ? ErlangMap.Empty : new ErlangMap(entries);
        }

        if (_c.Accept("#Ref<"))
        {
            var numbers = _c.ReadDottedNumbers('>');
            if (numbers.Count is < 2 or > ErlangReference.MaxIds + 1) throw _c.Error("A reference has 1..5 id words");
            // Printed most significant first; ETF order is least significant first.
            var ids = numbers.Skip(1).Reverse().Select(n => (uint)n).ToArray();
            return new ErlangReference(options.Node, options.Creation, ids);
        }

        if (_c.Accept("#Port<"))
        {
            var numbers = _c.ReadDottedNumbers('>');
            if (numbers.Count != 2) throw _c.Error("A port is #Port<0.Id>");
            return new ErlangPort(options.Node, (ulong)numbers[1], options.Creation);
        }

        throw _c.Error("Expected #{, #Ref< or #Port<");
    }

    private ErlangPid ParsePid()
    {
        var numbers = _c.ReadDottedNumbers('>');
        if (numbers.Count != 3) throw _c.Error("A pid is <0.Id.Serial>");
        return new ErlangPid(options.Node, (uint)numbers[1], (uint)numbers[2], options.Creation);
    }

    private ErlangExport ParseExport()
    {
        _c.Pos += 3;
        var module = ReadAtom();
        _c.Expect(":");
        var function = ReadAtom();
        _c.Expect("/");
        _c.SkipSpace();
        var arity = _c.ReadDigits(10, underscores: false);
        if (arity > 255) throw _c.Error("An arity is at most 255");
        return new ErlangExport(module, function, (int)arity);
    }

    private ErlangAtom ReadAtom()
    {
        if (ParseTerm() is ErlangAtom a) return a;
        throw _c.Error("Expected an atom");
    }

    private void ParseSegment(BitBuilder bits)
    {
        _c.SkipSpace();
        if (_c.Peek() == '"')
        {
            var chars = new List<int>();
            while (_c.Accept("\"")) chars.AddRange(_c.ReadQuoted('"', Escape));
            if (_c.Accept("/"))
            {
                ExpectWord("utf8");
                bits.AddBytes(Encoding.UTF8.GetBytes(TextCursor.FromCodePoints(chars)));
            }
            else
            {
                foreach (int ch in chars) bits.Add(ch, 8);
            }

            return;
        }

        BigInteger value;
        if (_c.Accept("$")) value = _c.ReadCharLiteral(Escape);
        else if (_c.Accept("-")) value = -_c.ReadDigits(10, true);
        else value = _c.ReadDigits(10, true);
        int size = 8;
        if (_c.Accept(":"))
        {
            _c.SkipSpace();
            size = (int)BigInteger.Min(_c.ReadDigits(10, false), int.MaxValue);
        }

        if (_c.Accept("/"))
        {
            ExpectWord("utf8");
            bits.AddBytes(Encoding.UTF8.GetBytes(char.ConvertFromUtf32((int)value)));
            return;
        }

        bits.Add(value, size);
    }

    private void ExpectWord(string word)
    {
        _c.SkipSpace();
        if (!_c.StartsWith(word)) throw _c.Error($"Expected `{word}`");
        _c.Pos += word.Length;
    }

    // Erlang escapes: \b \d \e \f \n \r \s \t \v, \NNN octal, \xHH, \x{H...}, \^C, and any other char as itself.
    private static int Escape(TextCursor c)
    {
        if (c.AtEnd) throw c.Error("Expected an escape");
        char e = c.Peek();
        c.Pos++;
        int common = TextCursor.CommonEscape(e);
        if (common >= 0) return common;
        switch (e)
        {
            case 'x':
                return c.Peek() == '{' ? c.ReadBracedHex() : c.ReadHex(2);
            case '^':
                char k = c.Peek();
                c.Pos++;
                return k & 31;
            case >= '0' and <= '7':
                int o = e - '0';
                for (int i = 0; i < 2 && c.Peek() is >= '0' and <= '7'; i++, c.Pos++) o = o * 8 + (c.Peek() - '0');
                return o;
            default:
                c.Pos--;
                return c.ReadCodePoint();
        }
    }

    private static bool IsAtomStart(char c) => c is >= 'a' and <= 'z' || (c is >= 'ß' and <= 'ÿ' && c != '÷');

    private static bool IsNameChar(char c) =>
        IsAtomStart(c) || c is >= 'A' and <= 'Z' || (c is >= 'À' and <= 'Þ' && c != '×') || char.IsAsciiDigit(c) || c is '_' or '@';
}
