namespace Beamwire.Cli.Shell.Syntax;

/// <summary>Chooses the dialect of an input, as a user mixing iex and erl habits expects: a trailing '.' means Erlang.</summary>
internal static class ShellParser
{
    public static Dialect DialectOf(string input)
    {
        var t = input.TrimEnd();
        return t.EndsWith('.') && !t.EndsWith("..", StringComparison.Ordinal) ? Dialect.Erlang : Dialect.Elixir;
    }

    public static Expr Parse(string input, Dialect dialect) =>
        dialect == Dialect.Erlang ? ErlangParser.Parse(input) : ElixirParser.Parse(input);
}
