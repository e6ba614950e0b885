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
                return ErlangLiterals.ReadStrings(_c);
            case '\'':
                _c.Pos++;
                return ErlangLiterals.ReadQuotedAtom(_c);
            case '$':
                _c.Pos++;
                return ErlangLiterals.ReadCharLiteral(_c);
            case '-' or '+' when char.IsAsciiDigit(_c.Peek(1)):
                _c.Pos++;
                return ErlangLiterals.ReadNumber(_c, ch == '-');
            case '#':
                return ParseHash();
            case '<' when _c.Peek(1) == '<':
                _c.Pos += 2;
                return _c.ReadBinary(ParseSegment);
            case '<':
                _c.Pos++;
                return ParsePid();
        }

        if (char.IsAsciiDigit(ch)) return ErlangLiterals.ReadNumber(_c, false);
        if (_c.StartsWith("fun") && !ErlangLiterals.IsNameChar(_c.Peek(3))) return ParseExport();
        if (ErlangLiterals.IsAtomStart(ch)) return ErlangLiterals.ReadBareAtom(_c);

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
            while (_c.Accept("\"")) chars.AddRange(_c.ReadQuoted('"', ErlangLiterals.Escape));
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
        if (_c.Accept("$")) value = _c.ReadCharLiteral(ErlangLiterals.Escape);
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
            if (value < 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) throw _c.Error($"{value} is not a Unicode code point");
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
}
