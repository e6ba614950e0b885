using System.Text;

namespace Beamwire.Terms;

/// <summary>
/// Prints terms as Erlang source (<c>io_lib:format("~0tp", [T])</c>) or as Elixir's <c>inspect/1</c>.
/// Pids, ports and references print as a BEAM prints its own (<c>&lt;0.123.0&gt;</c>); Erlang prints
/// another node's with a node-table index we cannot know, so the node name is not shown.
/// </summary>
public static class TermFormatter
{
    /// <summary>Erlang syntax, e.g. <c>{ok,[1,2,3],&lt;&lt;"bin"&gt;&gt;,#{a => 1},'quoted atom'}</c>.</summary>
    public static string ToErlang(ErlangTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var sb = new StringBuilder();
        Text.ErlangPrinter.Print(sb, term);
        return sb.ToString();
    }

    /// <summary>Elixir <c>inspect</c> syntax, e.g. <c>{:ok, [1, 2, 3], "bin", %{a: 1}}</c>, <c>:"node1@host"</c>.</summary>
    public static string ToElixir(ErlangTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var sb = new StringBuilder();
        Text.ElixirPrinter.Print(sb, term);
        return sb.ToString();
    }
}
