using System.Diagnostics;
using Beamwire.Cli.Shell;
using Beamwire.Cli.Shell.Syntax;
using Beamwire.Terms;
using Xunit;
using Xunit.Abstractions;

namespace Beamwire.Cli.Tests.Shell;

/// <summary>
/// Random and mutated inputs through the shell's reader and Beamwire.Terms' text parsers: the only
/// exception allowed is the parse error type (<see cref="SyntaxException"/>, <see cref="TermParseException"/>).
/// Seeds are the inputs the real-OTP comparison runs through elixir and erl. A fixed time budget: a slow
/// machine does fewer inputs; the count is printed, and so is the seed of a failure.
/// </summary>
public sealed class ShellParserFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);
    private const int Target = 1_000_000;

    private const string Alphabet = "abcXYZ_019 .,;:()[]{}<>#%\"'\\$?!=+-*/|&^~@\nxu{}fnedoreceive";

    [Fact]
    public void Random_and_mutated_inputs_raise_only_parse_errors()
    {
        var seed = Environment.TickCount;
        var rng = new Random(seed);
        string[] seeds = [.. RealShellComparisonTests.Elixir, .. RealShellComparisonTests.Erlang, "\"\\x\"", "\"\\x{zz}\"", "\"#{Node.self()}\"", "x |> f(y)"];
        var clock = Stopwatch.StartNew();
        var count = 0;
        while (count < Target && clock.Elapsed < Budget)
        {
            var input = count % 4 == 0 ? RandomText(rng) : Mutate(seeds[rng.Next(seeds.Length)], rng);
            try
            {
                Run(input);
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed}, input #{count} {Literal(input)}: {ex.GetType().Name}: {ex.Message}");
            }

            count++;
        }

        output.WriteLine($"{count} inputs in {clock.Elapsed.TotalSeconds:F1} s (seed {seed})");
        Assert.True(count >= 50_000, $"only {count} inputs in {Budget}: the fuzz run means little");
    }

    /// <summary>Inputs the fuzz run found, kept.</summary>
    [Theory]
    [InlineData("und\uDC17ined_var")]
    public void Found_inputs_raise_only_parse_errors(string input) => Run(input);

    private static void Run(string input)
    {
        try { Repl.Parse(input); } catch (SyntaxException) { }
        try { ShellParser.Parse(input, Dialect.Erlang); } catch (SyntaxException) { }
        try { TermParser.ParseElixir(input); } catch (TermParseException) { }
        try { TermParser.ParseErlang(input); } catch (TermParseException) { }
    }

    private static string RandomText(Random rng)
    {
        var chars = new char[rng.Next(1, 40)];
        for (var i = 0; i < chars.Length; i++) chars[i] = rng.Next(20) == 0 ? (char)rng.Next(0, 0xFFFF) : Alphabet[rng.Next(Alphabet.Length)];
        return new string(chars);
    }

    private static string Mutate(string s, Random rng)
    {
        var chars = new List<char>(s);
        for (var n = rng.Next(1, 4); n > 0; n--)
        {
            var at = rng.Next(chars.Count + 1);
            switch (rng.Next(4))
            {
                case 0 when chars.Count > 0 && at < chars.Count: chars.RemoveAt(at); break;
                case 1: chars.Insert(at, Alphabet[rng.Next(Alphabet.Length)]); break;
                case 2 when at < chars.Count: chars[at] = rng.Next(10) == 0 ? (char)rng.Next(0xD800, 0xE000) : Alphabet[rng.Next(Alphabet.Length)]; break;
                default: chars.InsertRange(at, s.AsSpan(rng.Next(s.Length)).ToArray().Take(rng.Next(1, 8))); break;
            }
        }

        return new string([.. chars]);
    }

    private static string Literal(string s) => "\"" + string.Concat(s.Select(c => c is >= ' ' and < '\x7f' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:X4}")) + "\"";
}
