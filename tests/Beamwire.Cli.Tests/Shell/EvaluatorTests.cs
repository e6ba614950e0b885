using Xunit;

namespace Beamwire.Cli.Tests.Shell;

/// <summary>The evaluator through the prompt's reading and printing: values as iex/erl print them, errors in one line.</summary>
public sealed class EvaluatorTests : IAsyncLifetime
{
    private ShellHarness _shell = null!;

    public async Task InitializeAsync() => _shell = await ShellHarness.StartAsync();

    public async Task DisposeAsync() => await _shell.DisposeAsync();

    [Theory]
    [InlineData("1 + 2", "3")]
    [InlineData("7 / 2", "3.5")]
    [InlineData("4 / 2", "2.0")]
    [InlineData("div(7, 2)", "3")]
    [InlineData("rem(-7, 2)", "-1")]
    [InlineData("div(-7, 2)", "-3")]
    [InlineData("2 ** 100", "1267650600228229401496703205376")]
    [InlineData("123456789012345678901234567890 * 10", "1234567890123456789012345678900")]
    [InlineData("1 == 1.0", "true")]
    [InlineData("1 === 1.0", "false")]
    [InlineData("1 < :a", "true")]
    [InlineData("{1, 2} < [1]", "true")]
    [InlineData("not true or false", "false")]
    [InlineData("nil || 0", "0")]
    [InlineData("false && raise()", "false")]
    [InlineData("true and :anything", ":anything")]
    [InlineData("!nil", "true")]
    [InlineData("\"ab\" <> \"cd\"", "\"abcd\"")]
    [InlineData("[1, 2] ++ [3]", "[1, 2, 3]")]
    [InlineData("[1, 2, 1] -- [1]", "[2, 1]")]
    [InlineData("\"n=#{1 + 1} a=#{:b} f=#{1.5} nil=#{nil} s=#{\"x\"}\"", "\"n=2 a=b f=1.5 nil= s=x\"")]
    [InlineData("\"#{Node.self()}\" |> is_binary", "** (CompileError) undefined function is_binary/1 (there is no such import)")]
    [InlineData("5 |> div(2)", "2")]
    [InlineData("f = fn x -> x * 2 end; f.(21)", "42")]
    [InlineData("fn a, b -> a - b end.(10, 3)", "7")]
    [InlineData("Enum.map([1, 2, 3], fn x -> x * x end)", "[1, 4, 9]")]
    [InlineData("[1, 2, 3, 4] |> Enum.filter(fn x -> rem(x, 2) == 0 end)", "[2, 4]")]
    [InlineData("Enum.reduce([1, 2, 3], 0, fn x, acc -> x + acc end)", "6")]
    [InlineData("fn 0 -> :zero; n -> {:n, n} end.(5)", "{:n, 5}")]
    [InlineData("y = 10; g = fn x -> x + y end; y = 0; g.(1)", "11")]
    [InlineData("{a, [b | c]} = {1, [2, 3]}; a + b", "3")]
    [InlineData("-(1 + 2)", "-3")]
    [InlineData("1.0e300 * 10", "1.0e301")]
    public Task Elixir_values(string input, string expected) => AssertEval(input, expected);

    [Theory]
    [InlineData("1 / 0", "** (ArithmeticError) bad argument in arithmetic expression: 1 / 0")]
    [InlineData("1 + :a", "** (ArithmeticError) bad argument in arithmetic expression: 1 + :a")]
    [InlineData("div(7, 0)", "** (ArithmeticError) bad argument in arithmetic expression: div(7, 0)")]
    [InlineData("1.0e308 * 10", "** (ArithmeticError) bad argument in arithmetic expression: 1.0e308 * 10")]
    [InlineData("\"a\" <> 1", "** (ArgumentError) expected binary argument in <> operator but got: 1")]
    [InlineData("1 and true", "** (BadBooleanError) expected a boolean on left-side of \"and\", got: 1")]
    [InlineData("not 1", "** (ArgumentError) argument error")]
    [InlineData("\"#{self()}\"", "** (Protocol.UndefinedError) protocol String.Chars not implemented for #PID<")]
    [InlineData("\"#{{1}}\"", "** (Protocol.UndefinedError) protocol String.Chars not implemented for {1} of type Tuple")]
    [InlineData("foo()", "** (CompileError) undefined function foo/0 (there is no such import)")]
    [InlineData("zz", "** (CompileError) undefined variable \"zz\"")]
    [InlineData("f = fn x -> x end; f.(1, 2)", "** (BadArityError) #Function<")]
    [InlineData("fn 0 -> 0 end.(1)", "** (FunctionClauseError) no function clause matching in :erl_eval.\"-inside-an-interpreted-fun-\"/1")]
    [InlineData("1.(2)", "** (BadFunctionError) expected a function, got: 1")]
    [InlineData(":erlang.term_to_binary(fn x -> x end)", "** (ArgumentError) a function made in this shell runs only here: call it (f.(x)) or pass it to Enum.map/filter/each/reduce, not to :erlang.term_to_binary/1")]
    [InlineData("1 < 1.0", "false")]
    [InlineData("{1, [2]} == {1.0, [2.0]}", "true")]
    [InlineData("{1} = {2}", "** (MatchError) no match of right hand side value: {2}")]
    [InlineData("2 ** 10_000_000", "** (SystemLimitError) a system limit has been reached")]
    [InlineData("\"\\x\"", "** (SyntaxError) iex:1:4: Expected hexadecimal digits, found `\"`")]
    [InlineData("\"\\x{zz}\"", "** (SyntaxError) iex:1:5: Expected hexadecimal digits, found `zz}\"`")]
    [InlineData("\"\\x{110000}\"", "** (SyntaxError) iex:1:1: 1114112 is not a Unicode code point")]
    [InlineData("1 +\n:b +\n)", "** (SyntaxError) iex:3:1: syntax error before: )")]
    [InlineData("case 1 do\n1 -> 2\nend", "** (SyntaxError) iex:1:1: case is not supported in this shell")]
    public Task Elixir_errors_are_one_line(string input, string expectedStart) => AssertEval(input, expectedStart, prefix: true);

    [Theory]
    [InlineData("1 + 2 * 3.", "7")]
    [InlineData("7 div 2.", "3")]
    [InlineData("-7 rem 2.", "-1")]
    [InlineData("7 / 2.", "3.5")]
    [InlineData("1 == 1.0.", "true")]
    [InlineData("1 =:= 1.0.", "false")]
    [InlineData("1 /= 2.", "true")]
    [InlineData("2 =< 2.", "true")]
    [InlineData("true andalso 1.", "1")]
    [InlineData("false orelse false.", "false")]
    [InlineData("true xor false.", "true")]
    [InlineData("1 bsl 70.", "1180591620717411303424")]
    [InlineData("bnot 5 band 16#ff.", "250")]
    [InlineData("[1] ++ [2].", "[1,2]")]
    [InlineData("\"abc\" \"def\".", "\"abcdef\"")]
    [InlineData("X = 5, Y = X * 2, {X, Y}.", "{5,10}")]
    [InlineData("F = fun(A) -> A * 2 end, F(3).", "6")]
    [InlineData("lists:map(fun(X) -> X + 1 end, [1, 2]).", "[2,3]")]
    [InlineData("lists:foldl(fun(X, Acc) -> X * Acc end, 1, [1, 2, 3, 4]).", "24")]
    [InlineData("$a + 1.", "98")]
    [InlineData("2#101.", "5")]
    [InlineData("1.5e3 * 2.", "3.0e3")]
    public Task Erlang_values(string input, string expected) => AssertEval(input, expected);

    [Theory]
    [InlineData("1 / 0.", "** exception error: an error occurred when evaluating an arithmetic expression")]
    [InlineData("1 + a.", "** exception error: an error occurred when evaluating an arithmetic expression")]
    [InlineData("1 andalso true.", "** exception error: bad argument: 1")]
    [InlineData("not 1.", "** exception error: bad argument")]
    [InlineData("3 = 4.", "** exception error: no match of right hand side value 4")]
    [InlineData("foo().", "** exception error: undefined shell command foo/0")]
    [InlineData("Unbound.", "** exception error: variable 'Unbound' is unbound")]
    [InlineData("\"\\x{zz}\".", "* 1:5: Expected hexadecimal digits, found `zz}\".`")]
    [InlineData("case 1 of 1 -> 2 end.", "* 1:1: case is not supported in this shell")]
    [InlineData("1 + .", "* 1:5: syntax error before: .")]
    public Task Erlang_errors_are_one_line(string input, string expectedStart) => AssertEval(input, expectedStart, prefix: true);

    [Fact]
    public async Task Variables_persist_between_inputs_and_closures_keep_what_they_saw()
    {
        Assert.Equal("5", await _shell.EvalAsync("x = 5"));
        Assert.Equal("3", await _shell.EvalAsync("add = fn y -> x + y end; x = 1; 3"));
        Assert.Equal("15", await _shell.EvalAsync("add.(10)"));
        Assert.Equal("2", await _shell.EvalAsync("x + 1"));
        Assert.Equal("** (CompileError) undefined variable \"y\"", await _shell.EvalAsync("y"));
        Assert.Equal($"\"node: {_shell.NodeName}\"", await _shell.EvalAsync("\"node: #{Node.self()}\""));
        Assert.Equal($":{_shell.NodeName}", await _shell.EvalAsync("Node.self() |> IO.inspect"));
    }

    private async Task AssertEval(string input, string expected, bool prefix = false)
    {
        var actual = await _shell.EvalAsync(input);
        if (prefix) Assert.StartsWith(expected, actual, StringComparison.Ordinal);
        else Assert.Equal(expected, actual);
        Assert.DoesNotContain('\n', actual);
    }
}
