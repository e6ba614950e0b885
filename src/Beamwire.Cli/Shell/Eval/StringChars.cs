using System.Text;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Eval;

/// <summary>
/// Elixir's <c>String.Chars</c> for what <c>#{...}</c> interpolates: a binary as itself, an atom's name
/// (nil as nothing), numbers as inspect writes them, a charlist or chardata list as its text; other
/// terms raise <c>Protocol.UndefinedError</c>, as in iex.
/// </summary>
internal static class StringChars
{
    public static void Append(List<byte> into, ErlangTerm value)
    {
        switch (value)
        {
            case ErlangBinary b:
                into.AddRange(b.Bytes.Span);
                return;
            case ErlangAtom a when a.Equals(ErlangAtom.Nil):
                return;
            case ErlangAtom a:
                into.AddRange(Encoding.UTF8.GetBytes(a.Name));
                return;
            case ErlangInteger or ErlangBigInteger or ErlangFloat:
                into.AddRange(Encoding.UTF8.GetBytes(TermDisplay.Elixir(value)));
                return;
            case ErlangString s:
                into.AddRange(Encoding.UTF8.GetBytes(s.Value));
                return;
            case ErlangList { IsProper: true } l:
                foreach (var e in l.Elements) AppendChardata(into, e, value);
                return;
            default:
                throw Undefined(value);
        }
    }

    /// <summary>One element of chardata: a code point, a binary, or a nested list of these.</summary>
    private static void AppendChardata(List<byte> into, ErlangTerm element, ErlangTerm whole)
    {
        switch (element)
        {
            case ErlangInteger { Value: >= 0 and <= 0x10FFFF } cp when cp.Value is < 0xD800 or > 0xDFFF:
                into.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32((int)cp.Value)));
                return;
            case ErlangBinary b:
                into.AddRange(b.Bytes.Span);
                return;
            case ErlangString s:
                into.AddRange(Encoding.UTF8.GetBytes(s.Value));
                return;
            case ErlangList { IsProper: true } l:
                foreach (var e in l.Elements) AppendChardata(into, e, whole);
                return;
            default:
                throw new ShellError("ArgumentError", $"cannot convert the given list to a string: {TermDisplay.Elixir(whole)}", "bad argument");
        }
    }

    private static ShellError Undefined(ErlangTerm value)
    {
        var type = value switch
        {
            ErlangPid => "PID",
            ErlangReference => "Reference",
            ErlangPort => "Port",
            ErlangTuple => "Tuple",
            ErlangMap => "Map",
            ErlangFun or ErlangExport => "Function",
            ErlangBitString => "BitString",
            _ => "List",
        };
        return new ShellError("Protocol.UndefinedError", $"protocol String.Chars not implemented for {TermDisplay.Elixir(value)} of type {type}", "bad argument");
    }
}
