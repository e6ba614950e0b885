using Beamwire.Cli.Shell.Syntax;
using Beamwire.Terms;
using Xunit;

namespace Beamwire.Cli.Tests.Shell;

/// <summary>The shell's lexer: its literals are Beamwire.Terms' literals, its errors are one-line syntax errors.</summary>
public sealed class LexerTests
{
    [Theory]
    [InlineData("42"), InlineData("1_000_000"), InlineData("0x1F"), InlineData("0b101"), InlineData("0o17"), InlineData("1.5e3"), InlineData("123456789012345678901234567890")]
    [InlineData(":ok"), InlineData(":\"with space\""), InlineData(":node@host"), InlineData(":+"), InlineData(":alive?")]
    [InlineData("\"a\\tb\\n\""), InlineData("\"\\x41\\u00e9\\u{1F600}\""), InlineData("\"\\#{not interpolated}\""), InlineData("'abc'"), InlineData("~c\"xyz\"")]
    [InlineData("?a"), InlineData("?\\n"), InlineData("true"), InlineData("nil")]
    public void An_elixir_literal_means_what_the_term_parser_reads(string text)
    {
        var token = Assert.Single(Lexer.Tokenize(text, Dialect.Elixir), t => t.Kind != TokenKind.End);
        Assert.Equal(TokenKind.Literal, token.Kind);
        Assert.Equal(TermParser.ParseElixir(text), token.Value);
    }

    [Theory]
    [InlineData("42"), InlineData("16#ff"), InlineData("2#1010"), InlineData("1.0e-3"), InlineData("ok"), InlineData("'Quoted atom'"), InlineData("node@host")]
    [InlineData("\"a\\x{263A}b\""), InlineData("\"ab\" \"cd\""), InlineData("\"\\101\\^A\""), InlineData("$a"), InlineData("$\\n")]
    public void An_erlang_literal_means_what_the_term_parser_reads(string text)
    {
        var token = Assert.Single(Lexer.Tokenize(text, Dialect.Erlang), t => t.Kind != TokenKind.End);
        Assert.Equal(TokenKind.Literal, token.Kind);
        Assert.Equal(TermParser.ParseErlang(text), token.Value);
    }

    [Theory]
    [InlineData("\"\\x\"", false), InlineData("\"\\x{zz}\"", false), InlineData("\"\\x{110000}\"", false), InlineData("\"\\u{D800}\"", false)]
    [InlineData(":", false), InlineData("\"\\x{zz}\"", true), InlineData("\"\\x\"", true)]
    public void A_bad_literal_is_a_syntax_error_not_an_exception(string text, bool erlang)
    {
        var ex = Assert.Throws<SyntaxException>(() => Lexer.Tokenize(text, erlang ? Dialect.Erlang : Dialect.Elixir));
        Assert.False(ex.Incomplete);
        Assert.True(ex.Column >= 1);
    }

    [Theory]
    [InlineData("\"abc"), InlineData("'abc"), InlineData("\"#{1 + "), InlineData("\"a\\")]
    public void An_unterminated_literal_is_incomplete(string text)
    {
        var ex = Assert.Throws<SyntaxException>(() => Lexer.Tokenize(text, Dialect.Elixir));
        Assert.True(ex.Incomplete, ex.Message);
    }

    [Fact]
    public void Interpolation_parts_are_text_and_tokens()
    {
        var token = Lexer.Tokenize("\"n: #{Node.self()}, #{\"in #{1}\"}!\"", Dialect.Elixir)[0];
        Assert.Equal(TokenKind.Interpolation, token.Kind);
        Assert.Collection(token.Parts!,
            p => Assert.Equal(ErlangBinary.FromUtf8("n: "), p),
            p => Assert.Equal(["Node", ".", "self", "(", ")", ""], ((List<Token>)p).Select(t => t.Text)),
            p => Assert.Equal(ErlangBinary.FromUtf8(", "), p),
            p => Assert.Equal(TokenKind.Interpolation, ((List<Token>)p)[0].Kind),
            p => Assert.Equal(ErlangBinary.FromUtf8("!"), p));
    }

    [Theory]
    [InlineData("a |> b <> c === d !== e", false, "a||>|b|<>|c|===|d|!==|e|")]
    [InlineData("x = fn y -> y end", false, "x|=|fn|y|->|y|end|")]
    [InlineData("A =:= B =/= C =< D /= E.", true, "A|=:=|B|=/=|C|=<|D|/=|E|.|")]
    [InlineData("X div 2 rem 3 andalso Y.", true, "X|div|2|rem|3|andalso|Y|.|")]
    public void Operators_are_read_longest_first(string text, bool erlang, string expected) =>
        Assert.Equal(expected, string.Join('|', Lexer.Tokenize(text, erlang ? Dialect.Erlang : Dialect.Elixir).Select(t => t.Kind == TokenKind.Literal ? t.Value!.ToString() : t.Text)));

    [Fact]
    public void Elixir_keyword_keys_and_newlines_are_tokens()
    {
        var tokens = Lexer.Tokenize("[a: 1]\n:b", Dialect.Elixir);
        Assert.Equal([TokenKind.Punct, TokenKind.KeywordKey, TokenKind.Literal, TokenKind.Punct, TokenKind.Newline, TokenKind.Literal, TokenKind.End], tokens.Select(t => t.Kind));
    }
}
