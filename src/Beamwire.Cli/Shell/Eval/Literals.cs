using Beamwire.Cli.Shell.Syntax;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Eval;

/// <summary>Terms written as literals (for <c>beamwire rpc</c> arguments): no variables, no calls.</summary>
internal static class Literals
{
    /// <summary>Parses one term in Erlang syntax (a final '.' is optional), else in Elixir syntax; or only Elixir when asked.</summary>
    public static (ErlangTerm Term, Dialect Dialect) Parse(string text, bool elixirOnly)
    {
        if (!elixirOnly)
        {
            var erl = text.TrimEnd();
            if (!erl.EndsWith('.')) erl += ".";
            try
            {
                return (ToTerm(ErlangParser.Parse(erl)), Dialect.Erlang);
            }
            catch (SyntaxException)
            {
                // Not Erlang: try Elixir below, and report Elixir's error if that fails too.
            }
        }

        return (ToTerm(ElixirParser.Parse(text)), Dialect.Elixir);
    }

    public static ErlangTerm ToTerm(Expr e) => e switch
    {
        LiteralExpr l => l.Value,
        TupleExpr t => new ErlangTuple([.. t.Items.Select(ToTerm)]),
        ListExpr { Tail: null } l => new ErlangList([.. l.Items.Select(ToTerm)]),
        ListExpr l => new ErlangList([.. l.Items.Select(ToTerm)], ToTerm(l.Tail!)),
        MapExpr m => new ErlangMap(m.Pairs.Select(p => new KeyValuePair<ErlangTerm, ErlangTerm>(ToTerm(p.Key), ToTerm(p.Value))).DistinctBy(p => p.Key).ToArray()),
        BinaryExpr b => Evaluator.Binary([.. b.Items.Select(ToTerm)]),
        _ => throw new SyntaxException("only literal terms are allowed here (no variables or calls)", e.Column),
    };
}
