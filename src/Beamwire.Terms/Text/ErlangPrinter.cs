using System.Globalization;
using System.Text;

namespace Beamwire.Terms.Text;

/// <summary>The Erlang-syntax printer, matching <c>io_lib:format("~0tp", [T])</c> of OTP 25+.</summary>
internal static class ErlangPrinter
{
    public static void Print(StringBuilder sb, ErlangTerm term)
    {
        switch (term)
        {
            case ErlangInteger i:
                sb.Append(i.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case ErlangBigInteger b:
                sb.Append(b.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case ErlangFloat f:
                sb.Append(FloatText.Format(f.Value));
                break;
            case ErlangAtom a:
                AppendAtom(sb, a.Name);
                break;
            case ErlangTuple t:
                sb.Append('{');
                AppendSequence(sb, t.Elements);
                sb.Append('}');
                break;
            case ErlangList l:
                AppendList(sb, l);
                break;
            case ErlangString s:
                AppendList(sb, s.ToList());
                break;
            case ErlangMap m:
                sb.Append("#{");
                bool first = true;
                foreach (var (k, v) in m.SortedEntries)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    Print(sb, k);
                    sb.Append(" => ");
                    Print(sb, v);
                }

                sb.Append('}');
                break;
            case ErlangBinary bin:
                AppendBinary(sb, bin.Bytes.Span, 8);
                break;
            case ErlangBitString bits:
                AppendBinary(sb, bits.Bytes.Span, bits.BitsInLastByte);
                break;
            case ErlangPid p:
                sb.Append("<0.").Append(p.Id).Append('.').Append(p.Serial).Append('>');
                break;
            case ErlangPort port:
                sb.Append("#Port<0.").Append(port.Id).Append('>');
                break;
            case ErlangReference r:
                sb.Append("#Ref<0");
                var ids = r.Ids.Span;
                for (int i = ids.Length - 1; i >= 0; i--) sb.Append('.').Append(ids[i]);
                sb.Append('>');
                break;
            case ErlangExport e:
                sb.Append("fun ");
                AppendAtom(sb, e.Module.Name);
                sb.Append(':');
                AppendAtom(sb, e.Function.Name);
                sb.Append('/').Append(e.Arity);
                break;
            case ErlangFun fun:
                sb.Append("#Fun<").Append(fun.Module.Name).Append('.').Append(fun.OldIndex).Append('.').Append(fun.OldUniq).Append('>');
                break;
        }
    }

    private static void AppendSequence(StringBuilder sb, ReadOnlySpan<ErlangTerm> items)
    {
        for (int i = 0; i < items.Length; i++)
        {
            if (i > 0) sb.Append(',');
            Print(sb, items[i]);
        }
    }

    private static void AppendList(StringBuilder sb, ErlangList list)
    {
        if (list.IsProper && Printable.IsPrintableLatin1List(list.Elements))
        {
            sb.Append('"');
            foreach (var e in list.Elements) AppendStringChar(sb, (int)((ErlangInteger)e).Value, '"');
            sb.Append('"');
            return;
        }

        sb.Append('[');
        AppendSequence(sb, list.Elements);
        if (!list.IsProper)
        {
            sb.Append('|');
            Print(sb, list.Tail);
        }

        sb.Append(']');
    }

    private static void AppendBinary(StringBuilder sb, ReadOnlySpan<byte> bytes, int bitsInLast)
    {
        sb.Append("<<");
        if (bitsInLast == 8 && !bytes.IsEmpty)
        {
            // UTF-8 first: <<"é"/utf8>> is also two printable Latin-1 bytes, and erl prefers UTF-8.
            if (Printable.TryGetPrintableUtf8(bytes, out var text))
            {
                sb.Append('"');
                foreach (char c in text) AppendStringChar(sb, c, '"');
                sb.Append("\"/utf8>>");
                return;
            }

            if (Printable.IsPrintableLatin1(bytes))
            {
                sb.Append('"');
                foreach (byte b in bytes) AppendStringChar(sb, b, '"');
                sb.Append("\">>");
                return;
            }
        }

        int whole = bitsInLast == 8 ? bytes.Length : bytes.Length - 1;
        for (int i = 0; i < whole; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(bytes[i]);
        }

        if (bitsInLast != 8)
        {
            if (whole > 0) sb.Append(',');
            sb.Append(bytes[^1] >> (8 - bitsInLast)).Append(':').Append(bitsInLast);
        }

        sb.Append(">>");
    }

    /// <summary>Appends an atom, quoted when Erlang would quote it.</summary>
    public static void AppendAtom(StringBuilder sb, string name)
    {
        if (!AtomNeedsQuotes(name))
        {
            sb.Append(name);
            return;
        }

        sb.Append('\'');
        foreach (var rune in name.EnumerateRunes()) AppendStringChar(sb, rune.Value, '\'');
        sb.Append('\'');
    }

    // io_lib:quote_atom: unquoted when it starts with a lowercase (Latin-1) letter, continues with
    // name characters, and is not a reserved word.
    public static bool AtomNeedsQuotes(string name)
    {
        if (name.Length == 0) return true;
        char c0 = name[0];
        if (!IsLower(c0)) return true;
        foreach (char c in name.AsSpan(1))
            if (!IsNameChar(c)) return true;
        return Reserved.Contains(name);
    }

    private static bool IsLower(char c) => c is >= 'a' and <= 'z' || (c is >= 'ß' and <= 'ÿ' && c != '÷');

    private static bool IsNameChar(char c) =>
        IsLower(c) || c is >= 'A' and <= 'Z' || (c is >= 'À' and <= 'Þ' && c != '×') || c is >= '0' and <= '9' || c == '_' || c == '@';

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case", "catch", "cond",
        "div", "end", "fun", "if", "let", "not", "of", "or", "orelse", "receive", "rem", "try", "when", "xor", "maybe", "else",
    };

    /// <summary>One character inside a quoted atom or string, escaped as io_lib does.</summary>
    public static void AppendStringChar(StringBuilder sb, int c, char quote)
    {
        switch (c)
        {
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
            case '\v': sb.Append("\\v"); return;
            case '\b': sb.Append("\\b"); return;
            case '\f': sb.Append("\\f"); return;
            case 27: sb.Append("\\e"); return;
            case 127: sb.Append("\\d"); return;
            case '\\': sb.Append("\\\\"); return;
        }

        if (c == quote)
        {
            sb.Append('\\').Append(quote);
        }
        else if (c < 32 || c is >= 128 and < 160)
        {
            // Other control characters: three octal digits, as io_lib writes them.
            sb.Append('\\').Append(Convert.ToString(c, 8).PadLeft(3, '0'));
        }
        else
        {
            sb.Append(char.ConvertFromUtf32(c));
        }
    }
}
