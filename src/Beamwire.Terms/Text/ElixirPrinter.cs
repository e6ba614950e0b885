using System.Globalization;
using System.Text;

namespace Beamwire.Terms.Text;

/// <summary>
/// The Elixir printer, matching <c>inspect(T, limit: :infinity, printable_limit: :infinity)</c> of
/// Elixir 1.15+ (charlists print as <c>~c"abc"</c>; Elixir 1.14 printed <c>'abc'</c>).
/// </summary>
internal static class ElixirPrinter
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    // Atoms Elixir prints without quotes although they are not identifiers.
    internal static readonly HashSet<string> Operators = new(StringComparer.Ordinal)
    {
        "@", ".", "+", "-", "!", "^", "~~~", "*", "/", "**", "++", "--", "+++", "---", "..", "..//", "<>", "|>", "<<<", ">>>",
        "<<~", "~>>", "<~", "~>", "<~>", "<|>", "<", ">", "<=", ">=", "==", "!=", "=~", "===", "!==", "&&", "&&&", "||",
        "|||", "=", "=>", "|", "::", "<-", "\\\\", "&", "%", "%{}", "{}", "<<>>", "...", "->",
    };

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
                sb.Append(FormatFloat(f.Value));
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
                AppendMap(sb, m);
                break;
            case ErlangBinary bin:
                AppendBinary(sb, bin.Bytes.Span, 8);
                break;
            case ErlangBitString bits:
                AppendBinary(sb, bits.Bytes.Span, bits.BitsInLastByte);
                break;
            case ErlangPid p:
                sb.Append("#PID<0.").Append(p.Id).Append('.').Append(p.Serial).Append('>');
                break;
            case ErlangPort port:
                sb.Append("#Port<0.").Append(port.Id).Append('>');
                break;
            case ErlangReference r:
                sb.Append("#Reference<0");
                var ids = r.Ids.Span;
                for (int i = ids.Length - 1; i >= 0; i--) sb.Append('.').Append(ids[i]);
                sb.Append('>');
                break;
            case ErlangExport e:
                sb.Append('&');
                AppendModule(sb, e.Module.Name);
                sb.Append('.');
                AppendCallName(sb, e.Function.Name);
                sb.Append('/').Append(e.Arity);
                break;
            case ErlangFun fun:
                sb.Append("#Function<").Append(fun.OldIndex).Append('.').Append(fun.OldUniq).Append('/').Append(fun.Arity).Append(" in ");
                AppendModule(sb, fun.Module.Name);
                sb.Append('>');
                break;
        }
    }

    /// <summary>Elixir prints integral floats in [1, 1e16) with all their digits, others as Erlang does.</summary>
    public static string FormatFloat(double value)
    {
        double abs = Math.Abs(value);
        if (abs >= 1.0 && abs < 1e16 && Math.Truncate(value) == value)
            return ((long)value).ToString(CultureInfo.InvariantCulture) + ".0";
        return FloatText.Format(value);
    }

    private static void AppendSequence(StringBuilder sb, ReadOnlySpan<ErlangTerm> items)
    {
        for (int i = 0; i < items.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            Print(sb, items[i]);
        }
    }

    private static void AppendList(StringBuilder sb, ErlangList list)
    {
        var elements = list.Elements;
        if (list.IsProper && IsPrintableCharlist(elements))
        {
            sb.Append("~c\"");
            foreach (var e in elements) AppendChar(sb, (int)((ErlangInteger)e).Value, '"');
            sb.Append('"');
            return;
        }

        sb.Append('[');
        if (list.IsProper && IsKeyword(elements))
        {
            for (int i = 0; i < elements.Length; i++)
            {
                if (i > 0) sb.Append(", ");
                var pair = (ErlangTuple)elements[i];
                AppendKey(sb, ((ErlangAtom)pair[0]).Name);
                Print(sb, pair[1]);
            }
        }
        else
        {
            AppendSequence(sb, elements);
            if (!list.IsProper)
            {
                sb.Append(" | ");
                Print(sb, list.Tail);
            }
        }

        sb.Append(']');
    }

    private static void AppendMap(StringBuilder sb, ErlangMap map)
    {
        sb.Append("%{");
        var entries = map.SortedEntries;
        bool atomKeys = true;
        foreach (var (k, _) in entries) atomKeys &= k is ErlangAtom;
        for (int i = 0; i < entries.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            if (atomKeys)
            {
                AppendKey(sb, ((ErlangAtom)entries[i].Key).Name);
            }
            else
            {
                Print(sb, entries[i].Key);
                sb.Append(" => ");
            }

            Print(sb, entries[i].Value);
        }

        sb.Append('}');
    }

    private static bool IsKeyword(ReadOnlySpan<ErlangTerm> elements)
    {
        if (elements.IsEmpty) return false;
        foreach (var e in elements)
            if (e is not ErlangTuple { Count: 2 } t || t[0] is not ErlangAtom) return false;
        return true;
    }

    // List.ascii_printable?: printable ASCII and the named escapes except \d.
    private static bool IsPrintableCharlist(ReadOnlySpan<ErlangTerm> elements)
    {
        if (elements.IsEmpty) return false;
        foreach (var e in elements)
            if (e is not ErlangInteger i || !(i.Value is >= 32 and <= 126 || (i.Value != 127 && IsNamedEscape((int)i.Value)))) return false;
        return true;
    }

    private static bool IsNamedEscape(int c) => c is 7 or 8 or 9 or 10 or 11 or 12 or 13 or 27 or 127;

    private static void AppendBinary(StringBuilder sb, ReadOnlySpan<byte> bytes, int bitsInLast)
    {
        if (bitsInLast == 8 && TryPrintable(bytes, out var text))
        {
            sb.Append('"');
            foreach (var rune in text.EnumerateRunes()) AppendChar(sb, rune.Value, '"');
            sb.Append('"');
            return;
        }

        sb.Append("<<");
        int whole = bitsInLast == 8 ? bytes.Length : bytes.Length - 1;
        for (int i = 0; i < whole; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(bytes[i]);
        }

        if (bitsInLast != 8)
        {
            if (whole > 0) sb.Append(", ");
            sb.Append(bytes[^1] >> (8 - bitsInLast)).Append("::size(").Append(bitsInLast).Append(')');
        }

        sb.Append(">>");
    }

    // String.printable?: valid UTF-8 of printable code points and the named escapes.
    private static bool TryPrintable(ReadOnlySpan<byte> bytes, out string text)
    {
        text = "";
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        foreach (var rune in text.EnumerateRunes())
            if (!IsPrintable(rune.Value)) return false;
        return true;
    }

    private static bool IsPrintable(int c) =>
        c is >= 0x20 and <= 0x7E or >= 0xA0 and <= 0xD7FF or >= 0xE000 and <= 0xFFFD or >= 0x10000 and <= 0x10FFFF || IsNamedEscape(c);

    public static void AppendAtom(StringBuilder sb, string name)
    {
        if (name is "nil" or "true" or "false")
        {
            sb.Append(name);
            return;
        }

        if (name == "Elixir" || (name.StartsWith("Elixir.", StringComparison.Ordinal) && IsAlias(name.AsSpan(7))))
        {
            sb.Append(name == "Elixir" ? "Elixir" : name[7..]);
            return;
        }

        sb.Append(':');
        if (IsIdentifier(name) || Operators.Contains(name))
        {
            sb.Append(name);
            return;
        }

        AppendQuoted(sb, name);
    }

    // A keyword key: `a: ` or `"a b": `.
    private static void AppendKey(StringBuilder sb, string name)
    {
        if (IsIdentifier(name)) sb.Append(name);
        else AppendQuoted(sb, name);
        sb.Append(": ");
    }

    private static void AppendModule(StringBuilder sb, string module)
    {
        if (module.StartsWith("Elixir.", StringComparison.Ordinal) && IsAlias(module.AsSpan(7))) sb.Append(module, 7, module.Length - 7);
        else AppendAtom(sb, module);
    }

    private static void AppendCallName(StringBuilder sb, string name)
    {
        if (IsIdentifier(name)) sb.Append(name);
        else AppendQuoted(sb, name);
    }

    private static void AppendQuoted(StringBuilder sb, string text)
    {
        sb.Append('"');
        foreach (var rune in text.EnumerateRunes()) AppendChar(sb, rune.Value, '"');
        sb.Append('"');
    }

    // Foo.Bar: segments of an uppercase ASCII letter followed by letters, digits and underscores.
    private static bool IsAlias(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        foreach (var segment in s.ToString().Split('.'))
        {
            if (segment.Length == 0 || segment[0] is < 'A' or > 'Z') return false;
            foreach (char c in segment)
                if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) return false;
        }

        return true;
    }

    /// <summary>An atom Elixir writes bare: a letter or underscore, then letters, digits, underscores or @, optionally ending in ? or !.</summary>
    public static bool IsIdentifier(string name)
    {
        if (name.Length == 0) return false;
        int end = name.Length;
        if (name[^1] is '?' or '!') end--;
        if (end == 0) return false;
        var runes = name.AsSpan(0, end).EnumerateRunes();
        bool first = true;
        foreach (var r in runes)
        {
            if (first)
            {
                if (!(Rune.IsLetter(r) || r.Value == '_')) return false;
                first = false;
            }
            else if (!(Rune.IsLetterOrDigit(r) || r.Value is '_' or '@' || Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark))
            {
                return false;
            }
        }

        return true;
    }

    public static void AppendChar(StringBuilder sb, int c, char quote)
    {
        switch (c)
        {
            case 7: sb.Append("\\a"); return;
            case 8: sb.Append("\\b"); return;
            case 9: sb.Append("\\t"); return;
            case 10: sb.Append("\\n"); return;
            case 11: sb.Append("\\v"); return;
            case 12: sb.Append("\\f"); return;
            case 13: sb.Append("\\r"); return;
            case 27: sb.Append("\\e"); return;
            case 127: sb.Append("\\d"); return;
            case '\\': sb.Append("\\\\"); return;
        }

        if (c == quote) sb.Append('\\').Append(quote);
        else if (c < 0x20 || c is >= 0x80 and < 0xA0) sb.Append("\\x").Append(c.ToString("X2", CultureInfo.InvariantCulture));
        else sb.Append(char.ConvertFromUtf32(c));
    }
}
