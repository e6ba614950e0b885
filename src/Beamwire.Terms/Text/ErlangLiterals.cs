namespace Beamwire.Terms.Text;

/// <summary>
/// Erlang's literal grammar, one reader per literal at a <see cref="TextCursor"/>: numbers (with
/// <c>Base#Digits</c>), atoms bare and quoted, strings (adjacent ones concatenate), <c>$c</c>
/// characters and their escapes. The term parser reads terms with these, and the shell (Beamwire.Cli)
/// reads the literals of its expressions with the same ones, so a literal means the same in both.
/// </summary>
internal static class ErlangLiterals
{
    /// <summary>A quoted atom's name after its opening <c>'</c>.</summary>
    public static ErlangAtom ReadQuotedAtom(TextCursor c)
    {
        int at = c.Pos;
        return TextCursor.Atom(TextCursor.FromCodePoints(c.ReadQuoted('\'', Escape)), at);
    }

    /// <summary>A bare atom (<c>ok</c>, <c>node@host</c>) at an <see cref="IsAtomStart"/> character.</summary>
    public static ErlangAtom ReadBareAtom(TextCursor c)
    {
        int start = c.Pos;
        while (IsNameChar(c.Peek())) c.Pos++;
        return TextCursor.Atom(c.Text[start..c.Pos], start);
    }

    /// <summary>A character literal after its <c>$</c>: its code point.</summary>
    public static ErlangInteger ReadCharLiteral(TextCursor c) => ErlangInteger.Create(c.ReadCharLiteral(Escape));

    public static ErlangTerm ReadStrings(TextCursor c)
    {
        // Adjacent string literals concatenate, as in Erlang source.
        var chars = new List<int>();
        while (c.Accept("\""))
        {
            chars.AddRange(c.ReadQuoted('"', Escape));
            c.SkipSpace();
            if (c.Peek() != '"') break;
        }

        return TextCursor.CodePointList(chars);
    }

    public static ErlangTerm ReadNumber(TextCursor c, bool negative)
    {
        int start = c.Pos;
        var whole = c.ReadDigits(10, underscores: true);
        if (c.Peek() == '#')
        {
            if (whole < 2 || whole > 36) throw new TermParseException($"Base {whole} is not 2..36", start);
            c.Pos++;
            var v = c.ReadDigits((int)whole, underscores: true);
            return ErlangInteger.Create(negative ? -v : v);
        }

        c.Pos = start;
        return c.ReadNumber(negative, underscores: true);
    }

    // Erlang escapes: \b \d \e \f \n \r \s \t \v, \NNN octal, \xHH, \x{H...}, \^C, and any other char as itself.
    public static int Escape(TextCursor c)
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
                if (c.AtEnd) throw c.Error("Expected a control character after \\^");
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

    public static bool IsAtomStart(char c) => c is >= 'a' and <= 'z' || (c is >= 'ß' and <= 'ÿ' && c != '÷');

    public static bool IsNameChar(char c) =>
        IsAtomStart(c) || c is >= 'A' and <= 'Z' || (c is >= 'À' and <= 'Þ' && c != '×') || char.IsAsciiDigit(c) || c is '_' or '@';
}
