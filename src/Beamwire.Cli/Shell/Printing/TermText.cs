using Beamwire.Cli.Shell.Syntax;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Printing;

/// <summary>How the shell and <c>beamwire rpc</c> print a term: Elixir's inspect for Elixir input, Erlang's <c>~p</c> for Erlang input.</summary>
internal static class TermText
{
    public static string Format(ErlangTerm term, Dialect dialect) =>
        dialect == Dialect.Elixir ? TermFormatter.ToElixir(term) : TermFormatter.ToErlang(term);
}
