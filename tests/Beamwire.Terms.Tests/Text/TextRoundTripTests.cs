using Beamwire.Terms.Tests.Support;
using CsCheck;
using Xunit;
using static Beamwire.Terms.Tests.Support.T;

namespace Beamwire.Terms.Tests.Text;

/// <summary>The printers and parsers in-process: what we print, we read back as the same term.</summary>
public class TextRoundTripTests
{
    private static readonly Gen<ErlangTerm> Term = TermGen.Term(maxDepth: 3).Select(t => Localize(t));

    [Fact]
    public void Erlang_text_parses_back_to_the_same_term() =>
        Term.Sample(t => Assert.Equal(t, TermParser.ParseErlang(TermFormatter.ToErlang(t))), iter: 2000, print: t => TermFormatter.ToErlang(t));

    [Fact]
    public void Elixir_text_parses_back_to_the_same_term() =>
        Term.Sample(t => Assert.Equal(t, TermParser.ParseElixir(TermFormatter.ToElixir(t))), iter: 2000, print: t => TermFormatter.ToElixir(t));

    [Fact]
    public void ToString_is_Erlang_syntax() =>
        Assert.Equal("{ok,[1,2,3],<<\"bin\">>,#{a => 1},'quoted atom'}",
            Tup(A("ok"), L(1, 2, 3), ErlangBinary.FromUtf8("bin"), Map(KV(A("a"), 1)), A("quoted atom")).ToString());

    [Fact]
    public void The_issue_examples_print_as_written()
    {
        Assert.Equal("{:ok, [1, 2, 3], \"bin\", %{a: 1}}", TermFormatter.ToElixir(Tup(A("ok"), L(1, 2, 3), ErlangBinary.FromUtf8("bin"), Map(KV(A("a"), 1)))));
        Assert.Equal("<0.123.0>", TermFormatter.ToErlang(new ErlangPid(ErlangAtom.NoNode, 123, 0, 0)));
        Assert.Equal("#PID<0.123.0>", TermFormatter.ToElixir(new ErlangPid(ErlangAtom.NoNode, 123, 0, 0)));
        Assert.Equal(":\"hello world\"", TermFormatter.ToElixir(A("hello world")));
    }

    [Theory]
    [InlineData("{ok, [1,2,3], <<\"bin\">>, #{a => 1}, 'quoted atom'}.", "{ok,[1,2,3],<<\"bin\">>,#{a => 1},'quoted atom'}")]
    [InlineData("[$a, 16#ff, 2#101, -7 | tail]", "[97,255,5,-7|tail]")]
    [InlineData("\"ab\" \"cd\" % a comment", "\"abcd\"")]
    [InlineData("<<1:3, \"é\"/utf8, 300:16>>", "<<56,117,32,37,4:3>>")]
    [InlineData("{'\\x{3c0}', \"\\t\\^A\\101\"}", "{'π',[9,1,65]}")]
    [InlineData("fun lists:map/2", "fun lists:map/2")]
    [InlineData("#Ref<0.1.2.3>", "#Ref<0.1.2.3>")]
    [InlineData("1.0e-5", "1.0e-5")]
    public void Erlang_syntax_reads_as_erl_would(string text, string printed) =>
        Assert.Equal(printed, TermFormatter.ToErlang(TermParser.ParseErlang(text)));

    [Theory]
    [InlineData("%{:a => 1, \"b\" => [c: 2, \"d e\": 3]}", "%{:a => 1, \"b\" => [c: 2, \"d e\": 3]}")]
    [InlineData("[1, 2, a: 3]", "[1, 2, {:a, 3}]")]
    [InlineData("{nil, true, Foo.Bar, :\"Elixir.foo\", :+, ?a, 1_000, 0x1F, 'ab', ~c\"cd\"}", "{nil, true, Foo.Bar, :\"Elixir.foo\", :+, 97, 1000, 31, ~c\"ab\", ~c\"cd\"}")]
    [InlineData("<<1::size(3), \"é\", 300::16>>", "<<56, 117, 32, 37, 4::size(3)>>")]
    [InlineData("&Enum.map/2", "&Enum.map/2")]
    [InlineData("#PID<0.1.2> # a comment", "#PID<0.1.2>")]
    [InlineData("\"\\u00e9\\x{1F600}\\n\"", "\"é😀\\n\"")]
    public void Elixir_syntax_reads_as_Elixir_would(string text, string printed) =>
        Assert.Equal(printed, TermFormatter.ToElixir(TermParser.ParseElixir(text)));

    [Theory]
    [InlineData("{ok,")]
    [InlineData("[1,2|3|4]")]
    [InlineData("'unterminated")]
    [InlineData("<<1:3/float>>")]
    [InlineData("{a} extra")]
    [InlineData("Variable")]
    [InlineData("#{a}")]
    public void Bad_Erlang_text_is_a_TermParseException(string text) =>
        Assert.Throws<TermParseException>(() => TermParser.ParseErlang(text));

    [Theory]
    [InlineData("{:ok,")]
    [InlineData("variable")]
    [InlineData("%{a: 1, :b}")]
    [InlineData("\"unterminated")]
    [InlineData("[a: ]")]
    public void Bad_Elixir_text_is_a_TermParseException(string text) =>
        Assert.Throws<TermParseException>(() => TermParser.ParseElixir(text));

    [Fact]
    public void Deep_text_is_refused_not_a_stack_overflow() =>
        Assert.Throws<TermParseException>(() => TermParser.ParseErlang(new string('[', 100_000)));
}
