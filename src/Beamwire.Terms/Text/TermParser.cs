namespace Beamwire.Terms;

/// <summary>
/// Reads terms from text: Erlang syntax (<c>{ok, [1,2,3], &lt;&lt;"bin"&gt;&gt;, #{a => 1}, 'quoted atom'}</c>) or Elixir
/// syntax (<c>{:ok, [1, 2, 3], "bin", %{a: 1}}</c>) — what <see cref="TermFormatter"/>, erl's <c>~p</c> and Elixir's
/// <c>inspect</c> print. Printed pids, ports and references carry no node: see <see cref="TermParserOptions"/>.
/// </summary>
public static class TermParser
{
    /// <exception cref="TermParseException">The text is not one Erlang term (a final <c>.</c> is allowed).</exception>
    public static ErlangTerm ParseErlang(string text, TermParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Text.ErlangParser(text, options ?? TermParserOptions.Default).ParseWhole();
    }

    /// <exception cref="TermParseException">The text is not one Elixir term.</exception>
    public static ErlangTerm ParseElixir(string text, TermParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Text.ElixirParser(text, options ?? TermParserOptions.Default).ParseWhole();
    }
}
