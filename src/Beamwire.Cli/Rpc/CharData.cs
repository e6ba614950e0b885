using System.Text;
using Beamwire.Terms;

namespace Beamwire.Cli.Rpc;

/// <summary>Erlang chardata (binaries, code points, nested lists) to text, as <c>unicode:characters_to_list/1</c> reads it.</summary>
internal static class CharData
{
    public static bool TryAppend(StringBuilder sb, ErlangTerm data, bool latin1, int depth = 0)
    {
        if (depth > 100) return false;
        switch (data)
        {
            case ErlangBinary b:
                sb.Append(latin1 ? Encoding.Latin1.GetString(b.Bytes.Span) : Encoding.UTF8.GetString(b.Bytes.Span));
                return true;
            case ErlangString s:
                sb.Append(s.Value);
                return true;
            case ErlangInteger { Value: (>= 0 and < 0xD800) or (> 0xDFFF and <= 0x10FFFF) } i:
                sb.Append(char.ConvertFromUtf32((int)i.Value));
                return true;
            case ErlangList l:
                foreach (var e in l.Elements)
                    if (!TryAppend(sb, e, latin1, depth + 1)) return false;
                return l.Tail is ErlangList { IsNil: true } || TryAppend(sb, l.Tail, latin1, depth + 1);
            default:
                return false;
        }
    }
}
