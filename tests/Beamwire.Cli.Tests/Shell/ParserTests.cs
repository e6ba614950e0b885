using Beamwire.Cli.Shell.Syntax;
using Xunit;

namespace Beamwire.Cli.Tests.Shell;

/// <summary>The shell's parsers: operator precedence and associativity of both dialects, the pipe, fn, and what is refused.</summary>
public sealed class ParserTests
{
    [Theory]
    [InlineData("1 + 2 * 3", "(+ 1 (* 2 3))")]
    [InlineData("(1 + 2) * 3", "(* (+ 1 2) 3)")]
    [InlineData("1 - 2 - 3", "(- (- 1 2) 3)")]
    [InlineData("2 ** 3 ** 2", "(** 2 (** 3 2))")]
    [InlineData("-2 ** 2", "(** -2 2)")]
    [InlineData("a ++ b ++ c", "(++ a (++ b c))")]
    [InlineData("1 + 2 == 3 and x < 4", "(andalso (== (+ 1 2) 3) (< x 4))")]
    [InlineData("a || b && c", "(|| a (&& b c))")]
    [InlineData("not a and b", "(andalso (not a) b)")]
    [InlineData("!a == b", "(== (! a) b)")]
    [InlineData("x = y = 1 + 1", "(= x (= y (+ 1 1)))")]
    [InlineData("x |> f(y) |> :m.g()", "(call m:g (call f x y))")]
    [InlineData("x |> Node.ping", "(call Elixir.Node:ping x)")]
    [InlineData("x |> f.(1)", "(apply f x 1)")]
    [InlineData("\"a\" <> \"b\" <> c", "(<> <<\"a\">> (<> <<\"b\">> c))")]
    [InlineData("1 +\n 2", "(+ 1 2)")]
    [InlineData("fn x, y -> x * y end", "(fn ((x y) (* x y)))")]
    [InlineData("fn -> :ok end.()", "(apply (fn (() ok)))")]
    [InlineData("fn 0 -> :zero; n -> n end", "(fn ((0) zero) ((n) n))")]
    [InlineData("fn {a, b} ->\n a\n b\n end", "(fn (((tuple a b)) a b))")]
    [InlineData("\"x#{1 + 1}y\"", "(str <<\"x\">> (+ 1 1) <<\"y\">>)")]
    [InlineData("1 != 2 and 3 !== 4 or 5 === 5.0", "(orelse (andalso (/= 1 2) (=/= 3 4)) (=:= 5 5.0))")]
    public void Elixir_expressions_have_elixirs_precedence(string input, string expected) =>
        Assert.Equal(expected, Show(ShellParser.Parse(input, Dialect.Elixir)));

    [Theory]
    [InlineData("1 + 2 * 3.", "(+ 1 (* 2 3))")]
    [InlineData("7 div 2 rem 3.", "(rem (div 7 2) 3)")]
    [InlineData("A andalso B orelse C.", "(orelse (andalso A B) C)")]
    [InlineData("1 + 1 =:= 2 andalso true.", "(andalso (=:= (+ 1 1) 2) true)")]
    [InlineData("[1] ++ [2] ++ [3].", "(++ (list 1) (++ (list 2) (list 3)))")]
    [InlineData("X = Y = 1 bsl 2 bor 1.", "(= X (= Y (bor (bsl 1 2) 1)))")]
    [InlineData("Pid ! {self(), X + 1}.", "(! Pid (tuple (call self) (+ X 1)))")]
    [InlineData("not A and B.", "(and (not A) B)")]
    [InlineData("- - 1.", "1")]
    [InlineData("F = fun(X) -> X * 2 end, F(3).", "(block (= F (fn ((X) (* X 2)))) (apply F 3))")]
    [InlineData("fun(0) -> zero; (N) -> N end.", "(fn ((0) zero) ((N) N))")]
    public void Erlang_expressions_have_erlangs_precedence(string input, string expected) =>
        Assert.Equal(expected, Show(ShellParser.Parse(input, Dialect.Erlang)));

    [Theory]
    [InlineData("case x do\n 1 -> 2\n end", false, "case is not supported in this shell")]
    [InlineData("if x, do: 1", false, "if is not supported")]
    [InlineData("&Node.list/0", false, "the capture operator & is not supported")]
    [InlineData("fn x when x > 1 -> x end", false, "a guard (when) is not supported")]
    [InlineData("%{m | a: 1}", false, "the map update %{map | key: value} is not supported")]
    [InlineData("1 in [1]", false, "the in operator is not supported")]
    [InlineData("^x = 1", false, "the pin operator ^ is not supported")]
    [InlineData("~r/x/", false, "the sigil ~r is not supported")]
    [InlineData("m.key", false, "field access (map.key) is not supported")]
    [InlineData("case X of 1 -> 2 end.", true, "case is not supported")]
    [InlineData("[X || X <- L].", true, "a list comprehension is not supported")]
    [InlineData("#r{a = 1}.", true, "a record (#name{...}) is not supported")]
    [InlineData("fun lists:map/2.", true, "fun Name/Arity (a fun of a named function) is not supported")]
    [InlineData("catch 1.", true, "catch is not supported")]
    public void What_is_not_supported_is_named(string input, bool erlang, string message)
    {
        var ex = Assert.Throws<SyntaxException>(() => ShellParser.Parse(input, erlang ? Dialect.Erlang : Dialect.Elixir));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.False(ex.Incomplete);
    }

    [Theory]
    [InlineData("1 +"), InlineData("fn x ->"), InlineData("receive do"), InlineData("[1, 2"), InlineData("\"#{x")]
    public void An_unfinished_elixir_input_is_incomplete(string input) =>
        Assert.True(Assert.Throws<SyntaxException>(() => ShellParser.Parse(input, Dialect.Elixir)).Incomplete);

    [Theory]
    [InlineData('(', ')'), InlineData('[', ']'), InlineData('{', '}')]
    public void Deep_nesting_is_a_syntax_error_not_a_stack_overflow(char open, char close)
    {
        var input = new string(open, 100_000) + "1" + new string(close, 100_000);
        Assert.Contains("nests deeper", Assert.Throws<SyntaxException>(() => ShellParser.Parse(input, Dialect.Elixir)).Message, StringComparison.Ordinal);
        Assert.Contains("nests deeper", Assert.Throws<SyntaxException>(() => ShellParser.Parse(input + ".", Dialect.Erlang)).Message, StringComparison.Ordinal);
        var unary = string.Concat(Enumerable.Repeat("not ", 100_000)) + "true";
        Assert.Contains("nests deeper", Assert.Throws<SyntaxException>(() => ShellParser.Parse(unary, Dialect.Elixir)).Message, StringComparison.Ordinal);
        var interpolation = string.Concat(Enumerable.Repeat("\"#{", 10_000));
        Assert.Throws<SyntaxException>(() => ShellParser.Parse(interpolation, Dialect.Elixir));
    }

    /// <summary>The tree as an S-expression, so a test states its shape in one line.</summary>
    internal static string Show(Expr e) => e switch
    {
        LiteralExpr l => l.Value.ToString(),
        VarExpr v => v.Name,
        TupleExpr t => "(tuple " + string.Join(' ', t.Items.Select(Show)) + ")",
        ListExpr l => "(list " + string.Join(' ', l.Items.Select(Show)) + (l.Tail is null ? "" : " | " + Show(l.Tail)) + ")",
        BinaryOpExpr b => $"({b.Op} {Show(b.Left)} {Show(b.Right)})",
        UnaryOpExpr u => $"({u.Op} {Show(u.Operand)})",
        MatchExpr m => $"(= {Show(m.Pattern)} {Show(m.Value)})",
        SendExpr s => $"(! {Show(s.Destination)} {Show(s.Message)})",
        CallExpr c => "(call " + (c.Module is null ? "" : c.Module + ":") + c.Function + string.Concat(c.Args.Select(a => " " + Show(a))) + ")",
        ApplyExpr a => "(apply " + Show(a.Fun) + string.Concat(a.Args.Select(x => " " + Show(x))) + ")",
        FnExpr f => "(fn " + string.Join(' ', f.Clauses.Select(c => "((" + string.Join(' ', c.Params.Select(Show)) + ") " + string.Join(' ', c.Body.Select(Show)) + ")")) + ")",
        InterpolationExpr i => "(str " + string.Join(' ', i.Parts.Select(Show)) + ")",
        BlockExpr b => "(block " + string.Join(' ', b.Items.Select(Show)) + ")",
        _ => e.GetType().Name,
    };
}
