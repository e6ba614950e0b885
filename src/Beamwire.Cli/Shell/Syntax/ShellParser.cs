using Beamwire.Terms;

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

    /// <summary>A unary operator applied; <c>-1</c> is a literal (so it can be a pattern), not a call of unary minus.</summary>
    public static Expr Unary(Token op, Expr operand) =>
        op.Text is "-" or "+" && operand is LiteralExpr { Value: ErlangInteger or ErlangBigInteger or ErlangFloat } number
            ? new LiteralExpr(op.Text == "-" ? Negate(number.Value) : number.Value, op.Column)
            : new UnaryOpExpr(op.Text, operand, op.Column);

    private static ErlangTerm Negate(ErlangTerm v) => v switch
    {
        ErlangInteger i => ErlangInteger.Create(-(System.Numerics.BigInteger)i.Value),
        ErlangBigInteger b => ErlangInteger.Create(-b.Value),
        ErlangFloat f => new ErlangFloat(-f.Value),
        _ => v,
    };
}
