namespace Beamwire.Cli.Shell.Syntax;

/// <summary>Which language a shell line is in: iex's Elixir, or erl's Erlang (a line ending in '.').</summary>
internal enum Dialect
{
    Elixir,
    Erlang,
}
