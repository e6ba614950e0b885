using System.Text;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Eval;

/// <summary>Short helpers for messages: a term in either syntax, a charlist as text.</summary>
internal static class TermDisplay
{
    public static string Elixir(ErlangTerm t) => TermFormatter.ToElixir(t);

    public static string Erlang(ErlangTerm t) => TermFormatter.ToErlang(t);

    /// <summary>The text of a proper list of code points, or null when it is not one.</summary>
    public static string? CharListText(ErlangList l)
    {
        if (!l.IsProper) return null;
        var sb = new StringBuilder();
        foreach (var e in l.Elements)
        {
            if (e is not ErlangInteger { Value: >= 0 and <= 0x10FFFF } i || i.Value is >= 0xD800 and <= 0xDFFF) return null;
            sb.Append(char.ConvertFromUtf32((int)i.Value));
        }

        return sb.ToString();
    }
}
