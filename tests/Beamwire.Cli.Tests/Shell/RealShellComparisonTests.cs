using System.Text;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Cli.Tests.Shell;

/// <summary>
/// The same inputs through real Elixir (<c>Code.eval_string</c>, bindings carried from line to line as
/// iex carries them) and real Erlang (<c>erl_eval</c>), of each release, and through the shell's
/// evaluator: the printed values must be the same; where the real one raises, ours must raise the
/// same exception (Elixir) or also fail (Erlang).
/// </summary>
public sealed class RealShellComparisonTests
{
    internal static readonly string[] Elixir =
    [
        "1 + 2", "7 / 2", "4 / 2", "div(7, 2)", "rem(-7, 2)", "div(-7, 2)", "2 ** 100", "123456789012345678901234567890 * 10",
        "1 == 1.0", "1 === 1.0", "1 < 1.0", "1 <= 1.0", "1 < :a", "{1, 2} < [1]", "{1, [2]} == {1.0, [2.0]}", "not true or false", "nil || 0",
        "true and :anything", "!nil", "false && :x", "\"ab\" <> \"cd\"", "[1, 2] ++ [3]", "[1, 2, 1] -- [1]", "[1] ++ 2",
        "\"n=#{1 + 1} a=#{:b} f=#{1.5} nil=#{nil} s=#{\"x\"} l=#{[?a, \"b\"]}\"", "5 |> div(2)", "f = fn x -> x * 2 end", "f.(21)",
        "fn a, b -> a - b end.(10, 3)", "Enum.map([1, 2, 3], fn x -> x * x end)", "[1, 2, 3, 4] |> Enum.filter(fn x -> rem(x, 2) == 0 end)",
        "Enum.reduce([1, 2, 3], 0, fn x, acc -> x + acc end)", "fn 0 -> :zero; n -> {:n, n} end.(5)", "y = 10", "g = fn x -> x + y end",
        "y = 0", "g.(1)", "{a, [b | c]} = {1, [2, 3]}", "a + b", "c", "-(1 + 2)", "1.0e300 * 10", "0.1 + 0.2",
        "{:ok, <<1, 2>>, :\"quoted atom\", :node@host}", "0x1F + 0b11 + 0o7 + 1_000", "?a", "\"\\x41\\u00e9\\t\"", "3 - -1", "2 * -3.5",
        "1 / 0", "1 + :a", "div(7, 0)", "1 and true", "not 1", "{1} = {2}", "fn 0 -> 0 end.(1)", "f.(1, 2)", "1.0e308 * 10", "undefined_var",
    ];

    internal static readonly string[] Erlang =
    [
        "1 + 2 * 3.", "7 div 2.", "-7 rem 2.", "7 / 2.", "1 == 1.0.", "1 =:= 1.0.", "1 /= 2.", "2 =< 2.", "1 < 1.0.", "{1, [2]} == {1.0, [2.0]}.",
        "true andalso 1.", "false orelse false.", "true xor false.", "1 bsl 70.", "bnot 5 band 16#ff.", "-1 bsr 3.", "[1] ++ [2].", "[1,2,1] -- [1].",
        "\"abc\" \"def\".", "X = 5.", "Y = X * 2.", "{X, Y}.", "F = fun(A) -> A * 2 end.", "F(3).", "lists:map(fun(Z) -> Z + 1 end, [1, 2]).",
        "lists:foldl(fun(E, Acc) -> E * Acc end, 1, [1, 2, 3, 4]).", "$a + 1.", "2#101 + 16#FF.", "1.5e3 * 2.", "0.1 + 0.2.", "#{a => 1}.",
        "<<1, 2>>.", "'quoted atom'.", "[a | b].", "- - 3.", "Neg = -5, Neg * 2.",
        "1 / 0.", "1 + a.", "not 1.", "3 = 4.", "1 andalso true.", "X = 6.", "F(1, 2).", "7 div 0.", "unbound_var + Unbound.",
    ];

    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Elixir_inputs_print_what_real_elixir_prints(OtpRelease release)
    {
        var script = $$"""
            Base.decode64!("{{Encode(Elixir)}}") |> String.split("\n") |> Enum.reduce([], fn src, b ->
              try do
                {v, b2} = Code.eval_string(src, b)
                IO.puts("=> " <> inspect(v))
                b2
              rescue
                e -> IO.puts("** (" <> inspect(e.__struct__) <> ")"); b
              end
            end)
            """;
        var real = await RunAsync(release, "elixir", ["-e", script], Elixir.Length);
        await using var shell = await ShellHarness.StartAsync();
        var failures = new StringBuilder();
        for (var i = 0; i < Elixir.Length; i++)
        {
            var ours = await shell.EvalAsync(Elixir[i]);
            var same = real[i].StartsWith("=> ", StringComparison.Ordinal) ? SameValue(ours, real[i][3..]) : ours.StartsWith(real[i], StringComparison.Ordinal);
            if (!same) failures.AppendLine($"{Elixir[i]}\n  real: {real[i]}\n  ours: {ours}");
        }

        Assert.True(failures.Length == 0, $"OTP {(int)release} differs:\n{failures}");
    }

    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Erlang_inputs_print_what_real_erl_prints(OtpRelease release)
    {
        var script = $$"""
            Lines = string:split(binary_to_list(base64:decode("{{Encode(Erlang)}}")), "\n", all),
            lists:foldl(fun(Src, Bs) ->
                try
                    {ok, Ts, _} = erl_scan:string(Src),
                    {ok, Es} = erl_parse:parse_exprs(Ts),
                    {value, V, Bs2} = erl_eval:exprs(Es, Bs),
                    io:format("=> ~s~n", [io_lib:print(V, 1, 1000000, -1)]),
                    Bs2
                catch _:_ -> io:format("** exception~n"), Bs
                end
            end, erl_eval:new_bindings(), Lines),
            halt().
            """;
        var real = await RunAsync(release, "erl", ["-noshell", "-eval", script], Erlang.Length);
        await using var shell = await ShellHarness.StartAsync();
        var failures = new StringBuilder();
        for (var i = 0; i < Erlang.Length; i++)
        {
            var ours = await shell.EvalAsync(Erlang[i]);
            var same = real[i].StartsWith("=> ", StringComparison.Ordinal) ? SameValue(ours, real[i][3..]) : ours.StartsWith("** exception", StringComparison.Ordinal);
            if (!same) failures.AppendLine($"{Erlang[i]}\n  real: {real[i]}\n  ours: {ours}");
        }

        Assert.True(failures.Length == 0, $"OTP {(int)release} differs:\n{failures}");
    }

    /// <summary>Equal text; a shell function prints with its own index and hash, so for those only the kind (<c>#Function&lt;</c>, <c>#Fun&lt;erl_eval.</c>) is compared.</summary>
    private static bool SameValue(string ours, string real) =>
        ours == real
        || (real.StartsWith("#Function<", StringComparison.Ordinal) && ours.StartsWith("#Function<", StringComparison.Ordinal))
        || (real.StartsWith("#Fun<erl_eval.", StringComparison.Ordinal) && ours.StartsWith("#Fun<erl_eval.", StringComparison.Ordinal));

    private static string Encode(string[] lines) => Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('\n', lines)));

    /// <summary>The real run's one result line per input (its warnings go to stderr).</summary>
    private static async Task<string[]> RunAsync(OtpRelease release, string program, string[] args, int expected)
    {
        var r = await OtpCommand.RunAsync(release, program, args, timeout: TimeSpan.FromMinutes(2));
        var lines = r.StdOut.Replace("\r", "", StringComparison.Ordinal).Split('\n')
            .Where(l => l.StartsWith("=> ", StringComparison.Ordinal) || l.StartsWith("** ", StringComparison.Ordinal)).ToArray();
        Assert.True(lines.Length == expected, $"{program} (OTP {(int)release}) printed {lines.Length} results for {expected} inputs:\n{r.StdOut}\n{r.StdErr}");
        return lines;
    }
}
