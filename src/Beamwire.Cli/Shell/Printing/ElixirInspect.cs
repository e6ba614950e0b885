using System.Globalization;
using System.Text;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Printing;

/// <summary>
/// Terms as Elixir's <c>inspect/1</c> prints them (Elixir 1.15+ conventions: <c>~c"..."</c> for
/// charlists): <c>:ok</c>, <c>:"node1@my-host"</c>, <c>"text"</c>, <c>[a: 1]</c>, <c>%{a: 1}</c>,
/// <c>#PID&lt;0.110.0&gt;</c>. Kept in the CLI until Beamwire.Terms ships <c>TermFormatter.ToElixir</c>
/// (the API contract names it); then this file goes and <see cref="TermText"/> calls that.
/// </summary>
internal static class ElixirInspect
{
    public static string Format(ErlangTerm term)
    {
        var sb = new StringBuilder();
        Append(sb, term, 0);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, ErlangTerm term, int depth)
    {
        if (depth > 200)
        {
            sb.Append("...");
            return;
        }

        switch (term)
        {
            case ErlangAtom a:
                AppendAtom(sb, a.Name);
                break;
            case ErlangInteger or ErlangBigInteger or ErlangFloat or ErlangPort:
                sb.Append(TermFormatter.ToErlang(term));
                break;
            case ErlangPid:
                sb.Append("#PID").Append(TermFormatter.ToErlang(term));
                break;
            case ErlangReference:
                sb.Append("#Reference").Append(TermFormatter.ToErlang(term).AsSpan("#Ref".Length));
                break;
            case ErlangExport e:
                sb.Append('&');
                AppendModule(sb, e.Module.Name);
                sb.Append('.');
                AppendFunctionName(sb, e.Function.Name);
                sb.Append('/').Append(e.Arity.ToString(CultureInfo.InvariantCulture));
                break;
            case ErlangFun f:
                sb.Append(CultureInfo.InvariantCulture, $"#Function<{f.Index}/{f.Arity} in ");
                AppendModule(sb, f.Module.Name);
                sb.Append('>');
                break;
            case ErlangBinary b:
                AppendBinary(sb, b.Bytes.Span, 8);
                break;
            case ErlangBitString bs:
                AppendBinary(sb, bs.Bytes.Span, bs.BitsInLastByte);
                break;
            case ErlangString s:
                AppendList(sb, s.ToList(), depth);
                break;
            case ErlangList l:
                AppendList(sb, l, depth);
                break;
            case ErlangTuple t:
                sb.Append('{');
                AppendItems(sb, t.Elements, depth);
                sb.Append('}');
                break;
            case ErlangMap m:
                AppendMap(sb, m, depth);
                break;
            default:
                sb.Append(TermFormatter.ToErlang(term));
                break;
        }
    }

    private static void AppendItems(StringBuilder sb, ReadOnlySpan<ErlangTerm> items, int depth)
    {
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            Append(sb, items[i], depth + 1);
        }
    }

    private static void AppendList(StringBuilder sb, ErlangList l, int depth)
    {
        if (l.IsProper && IsAsciiPrintable(l.Elements))
        {
            sb.Append("~c\"");
            foreach (var e in l.Elements) AppendChar(sb, (int)((ErlangInteger)e).Value, '"');
            sb.Append('"');
            return;
        }

        sb.Append('[');
        if (l.IsProper && IsKeywordList(l.Elements))
        {
            for (var i = 0; i < l.Count; i++)
            {
                if (i > 0) sb.Append(", ");
                var kv = (ErlangTuple)l[i];
                AppendKey(sb, ((ErlangAtom)kv[0]).Name);
                Append(sb, kv[1], depth + 1);
            }
        }
        else
        {
            AppendItems(sb, l.Elements, depth);
            if (!l.IsProper)
            {
                sb.Append(" | ");
                Append(sb, l.Tail, depth + 1);
            }
        }

        sb.Append(']');
    }

    private static void AppendMap(StringBuilder sb, ErlangMap m, int depth)
    {
        var entries = m.SortedEntries;
        var atomKeys = true;
        foreach (var kv in entries)
            if (kv.Key is not ErlangAtom) atomKeys = false;
        sb.Append("%{");
        for (var i = 0; i < entries.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            if (atomKeys)
            {
                AppendKey(sb, ((ErlangAtom)entries[i].Key).Name);
            }
            else
            {
                Append(sb, entries[i].Key, depth + 1);
                sb.Append(" => ");
            }

            Append(sb, entries[i].Value, depth + 1);
        }

        sb.Append('}');
    }

    private static bool IsAsciiPrintable(ReadOnlySpan<ErlangTerm> items)
    {
        if (items.IsEmpty) return false;
        foreach (var e in items)
            if (e is not ErlangInteger { Value: (>= 32 and <= 126) or (>= 7 and <= 13) or 27 }) return false;
        return true;
    }

    private static bool IsKeywordList(ReadOnlySpan<ErlangTerm> items)
    {
        if (items.IsEmpty) return false;
        foreach (var e in items)
            if (e is not ErlangTuple { Count: 2 } t || t[0] is not ErlangAtom) return false;
        return true;
    }

    private static void AppendKey(StringBuilder sb, string name)
    {
        if (IsIdentifier(name)) sb.Append(name);
        else AppendQuoted(sb, name);
        sb.Append(": ");
    }

    private static void AppendBinary(StringBuilder sb, ReadOnlySpan<byte> bytes, int bitsInLast)
    {
        if (bitsInLast == 8 && TryUtf8Printable(bytes, out var text))
        {
            AppendQuoted(sb, text);
            return;
        }

        sb.Append("<<");
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            var last = i == bytes.Length - 1 && bitsInLast != 8;
            var value = last ? bytes[i] >> (8 - bitsInLast) : bytes[i];
            sb.Append(value.ToString(CultureInfo.InvariantCulture));
            if (last) sb.Append(CultureInfo.InvariantCulture, $"::size({bitsInLast})");
        }

        sb.Append(">>");
    }

    private static bool TryUtf8Printable(ReadOnlySpan<byte> bytes, out string text)
    {
        text = "";
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        foreach (var r in text.EnumerateRunes())
        {
            var c = r.Value;
            if (c is >= 7 and <= 13 or 27) continue;
            if (c < 32 || c is >= 127 and < 160) return false;
        }

        return true;
    }

    private static void AppendQuoted(StringBuilder sb, string text)
    {
        sb.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '#' && i + 1 < text.Length && text[i + 1] == '{') sb.Append('\\');
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length)
            {
                sb.Append(text[i]).Append(text[i + 1]);
                i++;
                continue;
            }

            AppendChar(sb, text[i], '"');
        }

        sb.Append('"');
    }

    private static void AppendChar(StringBuilder sb, int c, char quote)
    {
        switch (c)
        {
            case '\n': sb.Append("\\n"); break;
            case '\t': sb.Append("\\t"); break;
            case '\r': sb.Append("\\r"); break;
            case '\v': sb.Append("\\v"); break;
            case '\b': sb.Append("\\b"); break;
            case '\f': sb.Append("\\f"); break;
            case 7: sb.Append("\\a"); break;
            case 27: sb.Append("\\e"); break;
            case '\\': sb.Append("\\\\"); break;
            default:
                if (c == quote) sb.Append('\\');
                sb.Append(char.ConvertFromUtf32(c));
                break;
        }
    }

    /// <summary>An atom: <c>nil</c>/<c>true</c>/<c>false</c> bare, aliases as <c>Foo.Bar</c>, identifiers as <c>:name</c>, others quoted.</summary>
    public static void AppendAtom(StringBuilder sb, string name)
    {
        if (name is "nil" or "true" or "false")
        {
            sb.Append(name);
            return;
        }

        if (IsAlias(name))
        {
            sb.Append(name.StartsWith("Elixir.", StringComparison.Ordinal) ? name["Elixir.".Length..] : name);
            return;
        }

        sb.Append(':');
        if (IsIdentifier(name, allowAt: true)) sb.Append(name);
        else AppendQuoted(sb, name);
    }

    private static void AppendModule(StringBuilder sb, string name)
    {
        if (IsAlias(name)) sb.Append(name["Elixir.".Length..]);
        else AppendAtom(sb, name);
    }

    private static void AppendFunctionName(StringBuilder sb, string name)
    {
        if (IsIdentifier(name)) sb.Append(name);
        else AppendQuoted(sb, name);
    }

    private static bool IsAlias(string name)
    {
        if (name == "Elixir") return true;
        if (!name.StartsWith("Elixir.", StringComparison.Ordinal)) return false;
        foreach (var part in name["Elixir.".Length..].Split('.'))
        {
            if (part.Length == 0 || !char.IsAsciiLetterUpper(part[0])) return false;
            foreach (var c in part)
                if (!char.IsAsciiLetterOrDigit(c) && c != '_') return false;
        }

        return true;
    }

    private static bool IsIdentifier(string name, bool allowAt = false)
    {
        if (name.Length == 0 || !(char.IsAsciiLetterLower(name[0]) || name[0] == '_')) return false;
        var end = name.Length;
        if (name[^1] is '?' or '!') end--;
        for (var i = 1; i < end; i++)
        {
            var c = name[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowAt && c == '@'))) return false;
        }

        return end > 0;
    }
}
