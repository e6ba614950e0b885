using System.Globalization;
using System.Numerics;
using System.Text;

namespace Beamwire.Terms.Text;

/// <summary>Character-level reading shared by the Erlang and Elixir parsers.</summary>
/// <param name="commentChar">Starts a comment to the end of the line...</param>
/// <param name="notAComment">...unless this says the text here is a term (Elixir's <c>#PID&lt;</c>).</param>
internal sealed class TextCursor(string text, char commentChar, Func<TextCursor, bool>? notAComment = null)
{
    private const int MaxDepth = 1000;

    public string Text { get; } = text;

    public int Pos { get; set; }

    public int Depth { get; private set; }

    public bool AtEnd => Pos >= Text.Length;

    public char Peek(int ahead = 0) => Pos + ahead < Text.Length ? Text[Pos + ahead] : '\0';

    public bool StartsWith(string s) => string.CompareOrdinal(Text, Pos, s, 0, s.Length) == 0;

    public void SkipSpace()
    {
        while (!AtEnd)
        {
            char c = Text[Pos];
            if (char.IsWhiteSpace(c))
            {
                Pos++;
            }
            else if (c == commentChar && notAComment?.Invoke(this) != true)
            {
                while (!AtEnd && Text[Pos] != '\n') Pos++;
            }
            else
            {
                break;
            }
        }
    }

    /// <summary>Skips space, then consumes <paramref name="s"/> if it is next.</summary>
    public bool Accept(string s)
    {
        SkipSpace();
        if (!StartsWith(s)) return false;
        Pos += s.Length;
        return true;
    }

    public void Expect(string s)
    {
        if (!Accept(s)) throw Error($"Expected `{s}`");
    }

    /// <summary>Items separated by commas up to <paramref name="close"/> (the opening bracket already read).</summary>
    public ErlangTerm[] ReadSequence(string close, Func<ErlangTerm> item)
    {
        Enter();
        var items = new List<ErlangTerm>();
        if (!Accept(close))
        {
            do items.Add(item());
            while (Accept(","));
            Expect(close);
        }

        Leave();
        return items.ToArray();
    }

    /// <summary>Binary segments up to <c>&gt;&gt;</c> (the <c>&lt;&lt;</c> already read).</summary>
    public ErlangTerm ReadBinary(Action<BitBuilder> segment)
    {
        Enter();
        var bits = new BitBuilder();
        if (!Accept(">>"))
        {
            do segment(bits);
            while (Accept(","));
            Expect(">>");
        }

        Leave();
        return bits.ToTerm();
    }

    public void Enter()
    {
        if (++Depth > MaxDepth) throw Error($"Terms nest deeper than {MaxDepth}");
    }

    public void Leave() => Depth--;

    public TermParseException Error(string message)
    {
        string found = AtEnd ? "the end of the text" : $"`{Text.Substring(Pos, Math.Min(12, Text.Length - Pos))}`";
        return new TermParseException($"{message}, found {found}", Pos) { AtEndOfText = AtEnd };
    }

    /// <summary>Digits in a base (with optional underscores between them, Elixir style).</summary>
    public BigInteger ReadDigits(int radix, bool underscores)
    {
        int start = Pos;
        BigInteger value = BigInteger.Zero;
        while (!AtEnd)
        {
            char c = Text[Pos];
            int d = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetterLower(c) ? c - 'a' + 10 : char.IsAsciiLetterUpper(c) ? c - 'A' + 10 : -1;
            if (d >= 0 && d < radix)
            {
                value = value * radix + d;
                Pos++;
            }
            else if (underscores && c == '_' && Pos > start && Pos + 1 < Text.Length && char.IsAsciiLetterOrDigit(Text[Pos + 1]))
            {
                Pos++;
            }
            else
            {
                break;
            }
        }

        if (Pos == start) throw Error($"Expected base-{radix} digits");
        return value;
    }

    /// <summary>A decimal integer or float starting at the cursor (sign already consumed).</summary>
    public ErlangTerm ReadNumber(bool negative, bool underscores)
    {
        int start = Pos;
        var whole = ReadDigits(10, underscores);
        if (Peek() == '.' && char.IsAsciiDigit(Peek(1)))
        {
            Pos++;
            ReadDigits(10, underscores);
            if (Peek() is 'e' or 'E' && (char.IsAsciiDigit(Peek(1)) || (Peek(1) is '-' or '+' && char.IsAsciiDigit(Peek(2)))))
            {
                Pos += Peek(1) is '-' or '+' ? 2 : 1;
                ReadDigits(10, underscores);
            }

            string literal = Text[start..Pos].Replace("_", "", StringComparison.Ordinal);
            if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d))
                throw new TermParseException($"`{literal}` is not a finite float", start);
            return new ErlangFloat(negative ? -d : d);
        }

        return ErlangInteger.Create(negative ? -whole : whole);
    }

    public int ReadHex(int maxDigits)
    {
        int value = 0, n = 0;
        while (n < maxDigits && char.IsAsciiHexDigit(Peek()))
        {
            value = value * 16 + Convert.ToInt32(Peek().ToString(), 16);
            Pos++;
            n++;
        }

        if (n == 0) throw Error("Expected hexadecimal digits");
        return value;
    }

    /// <summary>One code point (a surrogate pair counts as one).</summary>
    public int ReadCodePoint()
    {
        if (System.Text.Rune.DecodeFromUtf16(Text.AsSpan(Pos), out var rune, out int used) != System.Buffers.OperationStatus.Done)
            throw new TermParseException("A lone UTF-16 surrogate is not a character", Pos);
        Pos += used;
        return rune.Value;
    }

    /// <summary>A character literal's character (after <c>$</c> or <c>?</c>), escaped or not.</summary>
    public int ReadCharLiteral(Func<TextCursor, int> escape)
    {
        if (AtEnd) throw Error("Expected a character");
        if (Peek() != '\\') return ReadCodePoint();
        Pos++;
        return escape(this);
    }

    /// <summary>The escapes Erlang and Elixir share: \b \d \e \f \n \r \s \t \v; -1 for others.</summary>
    public static int CommonEscape(char e) => e switch
    {
        'b' => 8,
        'd' => 127,
        'e' => 27,
        'f' => 12,
        'n' => 10,
        'r' => 13,
        's' => 32,
        't' => 9,
        'v' => 11,
        _ => -1,
    };

    /// <summary><c>{H...}</c> after \x or \u: up to six hex digits in braces.</summary>
    public int ReadBracedHex()
    {
        Pos++;
        int v = ReadHex(6);
        if (Peek() != '}') throw Error("Expected `}`");
        Pos++;
        return v;
    }

    /// <summary><c>0.12.3&gt;</c>: dot-separated numbers up to <paramref name="close"/> (pids, ports, references).</summary>
    public List<BigInteger> ReadDottedNumbers(char close)
    {
        var numbers = new List<BigInteger>();
        while (true)
        {
            var n = ReadDigits(10, underscores: false);
            if (n > ulong.MaxValue) throw Error("A number in a pid, port or reference is too large");
            numbers.Add(n);
            if (Peek() != '.') break;
            Pos++;
        }

        SkipSpace();
        if (Peek() != close) throw Error($"Expected `{close}`");
        Pos++;
        return numbers;
    }

    /// <summary>Reads code points up to the closing <paramref name="quote"/>, resolving escapes with <paramref name="escape"/>.</summary>
    public List<int> ReadQuoted(char quote, Func<TextCursor, int> escape) => ReadQuoted(quote, escape, stopAtInterpolation: false, out _);

    /// <summary>
    /// Like <see cref="ReadQuoted(char, Func{TextCursor, int})"/>; with <paramref name="stopAtInterpolation"/>
    /// it also stops before an Elixir <c>#{</c> (<paramref name="interpolation"/> then says so, and the
    /// cursor is at the <c>#</c>), so that a reader of expressions can read what is interpolated.
    /// </summary>
    public List<int> ReadQuoted(char quote, Func<TextCursor, int> escape, bool stopAtInterpolation, out bool interpolation)
    {
        int start = Pos;
        var chars = new List<int>();
        interpolation = false;
        while (true)
        {
            if (AtEnd) throw new TermParseException($"Unterminated {quote}...{quote}", start) { AtEndOfText = true };
            char c = Text[Pos];
            if (c == quote)
            {
                Pos++;
                return chars;
            }

            if (stopAtInterpolation && c == '#' && Peek(1) == '{')
            {
                interpolation = true;
                return chars;
            }

            if (c == '\\')
            {
                Pos++;
                chars.Add(escape(this));
                continue;
            }

            chars.Add(ReadCodePoint());
        }
    }

    public static string FromCodePoints(List<int> cps)
    {
        var sb = new StringBuilder(cps.Count);
        foreach (int cp in cps)
        {
            if (cp is < 0 or > 0x10FFFF or >= 0xD800 and <= 0xDFFF) throw new TermParseException($"{cp} is not a Unicode code point");
            sb.Append(char.ConvertFromUtf32(cp));
        }

        return sb.ToString();
    }

    public static ErlangTerm CodePointList(List<int> cps)
    {
        if (cps.Count == 0) return ErlangList.Nil;
        bool bytes = cps.TrueForAll(c => c is >= 0 and <= 255);
        if (bytes) return new ErlangString(cps.Select(c => (byte)c).ToArray());
        return new ErlangList(cps.Select(c => (ErlangTerm)ErlangInteger.Create(c)).ToArray());
    }

    public static ErlangAtom Atom(string name, int at)
    {
        try
        {
            return ErlangAtom.Get(name);
        }
        catch (ArgumentException e)
        {
            throw new TermParseException(e.Message, at);
        }
    }
}
