using System.Text;

namespace Beamwire.Terms.Text;

/// <summary>
/// Elixir's literal grammar, one reader per literal at a <see cref="TextCursor"/>: numbers, atoms,
/// aliases, strings, charlists, <c>?c</c> characters and their escapes. The term parser reads terms
/// with these, and the shell (Beamwire.Cli) reads the literals of its expressions with the same ones,
/// so a literal means the same in both.
/// </summary>
internal static class ElixirLiterals
{
    /// <summary>A string's contents after its opening <c>"</c>, as a binary.</summary>
    public static ErlangBinary ReadString(TextCursor c) => ErlangBinary.FromUtf8(TextCursor.FromCodePoints(c.ReadQuoted('"', Escape)));

    /// <summary>A charlist's contents after its opening quote (<c>'</c>, or <c>~c"</c>'s <c>"</c>).</summary>
    public static ErlangTerm ReadCharList(TextCursor c, char quote) => TextCursor.CodePointList(c.ReadQuoted(quote, Escape));

    /// <summary>A character literal after its <c>?</c>: its code point.</summary>
    public static ErlangInteger ReadCharLiteral(TextCursor c) => ErlangInteger.Create(c.ReadCharLiteral(Escape));

    public static string ReadIdentifier(TextCursor c)
    {
        int start = c.Pos;
        while (!c.AtEnd)
        {
            // A lone surrogate ends the identifier (and is then refused as no term) instead of throwing.
            if (System.Text.Rune.DecodeFromUtf16(c.Text.AsSpan(c.Pos), out var r, out _) != System.Buffers.OperationStatus.Done) break;
            if (!(System.Text.Rune.IsLetterOrDigit(r) || r.Value is '_' or '@' || System.Text.Rune.GetUnicodeCategory(r) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark)) break;
            c.Pos += r.Utf16SequenceLength;
        }

        if (c.Peek() is '?' or '!') c.Pos++;
        return c.Text[start..c.Pos];
    }

    public static ErlangAtom ReadColonAtom(TextCursor c)
    {
        int start = c.Pos;
        if (c.Peek() == '"')
        {
            c.Pos++;
            return TextCursor.Atom(TextCursor.FromCodePoints(c.ReadQuoted('"', Escape)), start);
        }

        if (char.IsLetter(c.Peek()) || c.Peek() == '_') return TextCursor.Atom(ReadIdentifier(c), start);
        // An operator atom: the longest operator the text starts with.
        string? op = null;
        foreach (var candidate in ElixirPrinter.Operators)
            if (c.StartsWith(candidate) && (op is null || candidate.Length > op.Length)) op = candidate;
        if (op is null) throw c.Error("Expected an atom after `:`");
        c.Pos += op.Length;
        return TextCursor.Atom(op, start);
    }

    // Foo.Bar is the atom :"Elixir.Foo.Bar".
    public static ErlangAtom ReadAlias(TextCursor c)
    {
        int start = c.Pos;
        var sb = new StringBuilder();
        while (true)
        {
            int segment = c.Pos;
            while (char.IsAsciiLetterOrDigit(c.Peek()) || c.Peek() == '_') c.Pos++;
            sb.Append(c.Text, segment, c.Pos - segment);
            if (c.Peek() == '.' && char.IsAsciiLetterUpper(c.Peek(1)))
            {
                sb.Append('.');
                c.Pos++;
            }
            else
            {
                break;
            }
        }

        string alias = sb.ToString();
        return TextCursor.Atom(alias == "Elixir" ? alias : "Elixir." + alias, start);
    }

    public static ErlangTerm ReadNumber(TextCursor c, bool negative)
    {
        if (c.Peek() == '0' && c.Peek(1) is 'x' or 'o' or 'b')
        {
            int radix = c.Peek(1) switch { 'x' => 16, 'o' => 8, _ => 2 };
            c.Pos += 2;
            var v = c.ReadDigits(radix, underscores: true);
            return ErlangInteger.Create(negative ? -v : v);
        }

        return c.ReadNumber(negative, underscores: true);
    }

    // Elixir escapes: \a \b \d \e \f \n \r \s \t \v \0, \xHH, \x{H..}, \uHHHH, \u{H..}, and any other char as itself.
    public static int Escape(TextCursor c)
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
