using System.Globalization;
using System.Text;
using Beamwire.Terms;

namespace Beamwire.Node.Services;

/// <summary>
/// Text from Erlang chardata, and enough of <c>io_lib:format/2</c> to render what cannot be formatted by
/// the node that asked (<c>~p ~w ~s ~c ~n ~~ ~b ~B ~e ~f ~g ~i</c>; field widths and precisions are read
/// and ignored, <c>~l</c> accepted, <c>~t</c> lets <c>~c</c> take any code point). Both refuse what Erlang refuses (a code point that is
/// not a character, chardata that is not text, too few arguments) by returning false, never by throwing:
/// an io server turns that into an error reply.
/// </summary>
internal static class IoFormat
{
    /// <summary>Nesting beyond which chardata is refused (the ETF decoder bounds depth too; this keeps the walk's stack small).</summary>
    private const int MaxDepth = 1000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Renders <c>io_lib:format(Format, Args)</c>; false when Erlang's would fail (badarg).</summary>
    public static bool TryFormat(ErlangTerm format, ErlangTerm args, out string text)
    {
        text = "";
        var fmt = new StringBuilder();
        if (!TryAppendChardata(fmt, format, latin1: false)) return false;
        var list = args switch
        {
            ErlangList { IsProper: true } l => l.Elements.ToArray(),
            ErlangString s => s.ToList().Elements.ToArray(),
            _ => null,
        };
        if (list is null) return false;
        var sb = new StringBuilder();
        var next = 0;
        for (var i = 0; i < fmt.Length; i++)
        {
            var ch = fmt[i];
            if (ch != '~')
            {
                sb.Append(ch);
                continue;
            }

            i++;
            var unicode = false;
            for (; i < fmt.Length && (char.IsAsciiDigit(fmt[i]) || fmt[i] is '.' or '-' or '*' or 't' or 'l'); i++) unicode |= fmt[i] == 't';
            if (i >= fmt.Length) return false; // a lone ~ at the end
            var directive = fmt[i];
            if (directive is 'n' or '~')
            {
                sb.Append(directive == 'n' ? '\n' : '~');
                continue;
            }

            if (next >= list.Length) return false;
            if (!TryDirective(sb, directive, unicode, list[next++])) return false;
        }

        if (next != list.Length) return false; // io_lib:format refuses unused arguments too
        text = sb.ToString();
        return true;
    }

    private static bool TryDirective(StringBuilder sb, char directive, bool unicode, ErlangTerm arg)
    {
        switch (directive)
        {
            case 's':
                return TryAppendChardata(sb, arg, latin1: false);
            case 'c':
                // Without the t modifier io_lib takes the code point's low byte, as Erlang does (~c of 256 prints 0).
                return arg is ErlangInteger c && TryAppendCodePoint(sb, unicode ? c : ErlangInteger.Create(c.Value & 0xFF), latin1: false);
            case 'i':
                return true;
            case 'b' or 'B':
                if (arg is not ErlangInteger n) return false;
                sb.Append(n.Value.ToString(CultureInfo.InvariantCulture));
                return true;
            case 'e' or 'f' or 'g':
                if (arg is not ErlangFloat d) return false;
                sb.Append(d.Value.ToString(CultureInfo.InvariantCulture));
                return true;
            case 'p' or 'P' or 'w' or 'W':
                sb.Append(arg.ToString());
                return true;
            default:
                return false; // io_lib:format: an unknown control sequence is badarg
        }
    }

    /// <summary>The text of chardata (binaries, code points, nested lists; an atom is not chardata); null if it is not text.</summary>
    public static string? Chardata(ErlangTerm term, bool latin1 = false)
    {
        var sb = new StringBuilder();
        return TryAppendChardata(sb, term, latin1) ? sb.ToString() : null;
    }

    /// <summary>
    /// Appends chardata as <c>unicode:characters_to_binary/2</c> reads it: a unicode binary must be valid UTF-8,
    /// a latin1 one is bytes; list elements must be characters (no surrogates, at most 255 in latin1).
    /// </summary>
    public static bool TryAppendChardata(StringBuilder sb, ErlangTerm term, bool latin1, int depth = 0)
    {
        if (depth > MaxDepth) return false;
        switch (term)
        {
            case ErlangBinary b:
                if (latin1)
                {
                    sb.Append(Encoding.Latin1.GetString(b.Bytes.Span));
                    return true;
                }

                try
                {
                    sb.Append(StrictUtf8.GetString(b.Bytes.Span));
                    return true;
                }
                catch (DecoderFallbackException)
                {
                    return false;
                }

            case ErlangString s:
                sb.Append(s.Value);
                return true;
            case ErlangInteger c:
                return TryAppendCodePoint(sb, c, latin1);
            case ErlangList l:
                foreach (var e in l.Elements)
                {
                    if (!TryAppendChardata(sb, e, latin1, depth + 1)) return false;
                }

                // An improper tail may only be a binary (iolist/chardata rule).
                return l.IsProper || l.Tail is ErlangBinary && TryAppendChardata(sb, l.Tail, latin1, depth + 1);
            default:
                return false;
        }
    }

    private static bool TryAppendCodePoint(StringBuilder sb, ErlangInteger c, bool latin1)
    {
        if (c.Value < 0 || c.Value > (latin1 ? 0xFF : 0x10FFFF) || c.Value is >= 0xD800 and <= 0xDFFF) return false;
        var v = (int)c.Value;
        if (v < 0x10000) sb.Append((char)v);
        else sb.Append(char.ConvertFromUtf32(v));
        return true;
    }
}
