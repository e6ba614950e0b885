using System.Globalization;
using System.Text;
using Beamwire.Terms;

namespace Beamwire.Node.Services;

/// <summary>
/// Enough of <c>io_lib:format/2</c> to log what remote code prints: <c>~p ~w ~s ~c ~n ~~ ~b ~B ~e ~f ~g ~i</c>
/// (field widths and precisions are read and ignored, <c>~t</c> and <c>~l</c> accepted). Anything it cannot
/// render is printed as the term, so output is never lost.
/// </summary>
internal static class IoFormat
{
    public static string Format(ErlangTerm format, ErlangTerm args)
    {
        var fmt = Chardata(format) ?? format.ToString();
        var list = args switch
        {
            ErlangList l => l.Elements.ToArray(),
            ErlangString s => s.ToList().Elements.ToArray(),
            _ => [],
        };
        var sb = new StringBuilder();
        var next = 0;
        for (var i = 0; i < fmt.Length; i++)
        {
            var ch = fmt[i];
            if (ch != '~' || i + 1 >= fmt.Length)
            {
                sb.Append(ch);
                continue;
            }

            i++;
            while (i < fmt.Length && (char.IsAsciiDigit(fmt[i]) || fmt[i] is '.' or '-' or '*' or 't' or 'l')) i++;
            if (i >= fmt.Length) break;
            var arg = fmt[i] is 'n' or '~' ? null : next < list.Length ? list[next++] : null;
            sb.Append(fmt[i] switch
            {
                'n' => "\n",
                '~' => "~",
                's' => arg is null ? "" : Chardata(arg) ?? arg.ToString(),
                'c' => arg is ErlangInteger c ? char.ConvertFromUtf32((int)c.Value) : arg?.ToString(),
                'i' => "",
                'b' or 'B' or 'e' or 'f' or 'g' => arg switch
                {
                    ErlangInteger n => n.Value.ToString(CultureInfo.InvariantCulture),
                    ErlangFloat d => d.Value.ToString(CultureInfo.InvariantCulture),
                    _ => arg?.ToString(),
                },
                _ => arg?.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>The text of chardata (binary, charlist, nested iolist, atom); null if it is not text.</summary>
    public static string? Chardata(ErlangTerm term)
    {
        var sb = new StringBuilder();
        return Append(sb, term) ? sb.ToString() : null;
    }

    private static bool Append(StringBuilder sb, ErlangTerm term)
    {
        switch (term)
        {
            case ErlangBinary b:
                sb.Append(Encoding.UTF8.GetString(b.Bytes.Span));
                return true;
            case ErlangString s:
                sb.Append(s.Value);
                return true;
            case ErlangAtom a:
                sb.Append(a.Name);
                return true;
            case ErlangInteger { Value: >= 0 and <= 0x10FFFF } c:
                sb.Append(char.ConvertFromUtf32((int)c.Value));
                return true;
            case ErlangList l:
                foreach (var e in l.Elements)
                {
                    if (!Append(sb, e)) return false;
                }

                return l.IsProper || Append(sb, l.Tail);
            default:
                return false;
        }
    }
}
