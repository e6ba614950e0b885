using System.Numerics;
using Beamwire.Terms.Tests.Support;
using Beamwire.Testing;
using Xunit;
using static Beamwire.Terms.Tests.Support.T;

namespace Beamwire.Terms.Tests.Text;

/// <summary>
/// Our printers against the real ones: erl's <c>io_lib:format("~0tp", [T])</c> and Elixir's
/// <c>inspect/2</c>, on each release, for a corpus of terms; and our parsers reading what they print.
/// Maps have at most one atom key: OTP 26+ orders atom keys by atom index (docs/terms.md).
/// </summary>
public class TextInteropTests
{
    private static List<ErlangTerm> Corpus(ErlangAtom node, uint creation)
    {
        var list = new List<ErlangTerm>
        {
            0, -1, 255, 256, long.MaxValue, long.MinValue, ErlangInteger.Create(BigInteger.Pow(10, 40)), ErlangInteger.Create(-BigInteger.Pow(2, 70)),
            1.0, -0.0, 0.1, 1.5, 1e-4, 1e-5, 0.001234, 100.0, 1000.0, 1e6, 1234.5678, 1.2345678e9, 1e15, 1e16, 9007199254740992.0, 123456789012345678.0,
            1e22, 1e23, 5e-324, double.MaxValue, -123.456, 1.5e-7,
            A("ok"), A("A"), A("a b"), A(""), A("if"), A("é"), A("ÿ"), A("foo@bar"), A("Elixir.Foo"), A("Elixir.Foo.Bar"), A("Elixir.foo"), A("_x"),
            A("a.b"), A("quote's"), A("tab\there"), A("a\u0001"), A("a\u007f"), A("a\u0080"), A("nil"), A("true"), A("undefined"), A("foo?"), A("foo!"),
            A("Elixir"), A("@"), A("+"), A("=="), A("a-b"), A("1a"), A("\""), A("node1@host"),
            new ErlangString("abc"), new ErlangString("a\nb\t\"q\"\\"), L(7), L(8, 9, 27), L(127), L(233), L(0), L(97, 300), new ErlangString("é"),
            ErlangBinary.Empty, ErlangBinary.FromUtf8("abc"), ErlangBinary.FromUtf8("a\nb\"q\"\\"), ErlangBinary.FromUtf8("é"), Bin(233), Bin(0, 1),
            Bin(97, 0), Bin(127), ErlangBinary.FromUtf8("π"), ErlangBinary.FromUtf8("😀"), Bin(0xC3, 0xA9, 0xE9), ErlangBinary.FromUtf8("\u001b"),
            new ErlangBitString(new byte[] { 0x20 }, 3), new ErlangBitString(new byte[] { 1, 2, 0x30 }, 4), new ErlangBitString(new byte[] { 0x80, 0x80 }, 1),
            ErlangTuple.Empty, Tup(A("ok"), 1), ErlangList.Nil, L(ErlangList.Nil), new ErlangList([1, 2], 3), new ErlangList([1], A("b")),
            L(Tup(A("a"), 1), Tup(A("b"), 2)), L(Tup(A("a"), 1), Tup(ErlangBinary.FromUtf8("b"), 2)), L(Tup(A("a b"), 1)),
            ErlangMap.Empty, Map(KV(A("a"), 1)), Map(KV(ErlangBinary.FromUtf8("a"), 1), KV(ErlangBinary.FromUtf8("b"), L(1))),
            Map(KV(A("a"), 1), KV(ErlangBinary.FromUtf8("b"), 2)), Map(KV(3, A("x")), KV(1.0, A("y")), KV(new ErlangString("s"), 1), KV(Tup(A("t")), 2), KV(2, 3)),
            Map(KV(A("a b"), 1)), Map(KV(A("k"), Map(KV(A("b"), 1)))),
            Tup(A("ok"), L(1, 2, 3), ErlangBinary.FromUtf8("bin"), Map(KV(A("a"), 1)), A("quoted atom")),
            new ErlangExport(A("lists"), A("map"), 2), new ErlangExport(A("Elixir.Enum"), A("map"), 2),
            new ErlangPid(node, 123, 0, creation), new ErlangPid(node, 5, 7, creation),
            new ErlangReference(node, creation, [1u, 2u, 3u]), new ErlangPort(node, 5, creation),
        };
        return list;
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Erlang_text_matches_erl_and_parses_back(OtpRelease release)
    {
        await using var session = await PeerSession.StartAsync(release);
        var (node, creation) = await NodeAndCreation(session, "{node(), erlang:system_info(creation)}.");
        var corpus = Corpus(node, creation);
        var texts = await PrintAll(session, corpus,
            b64 => $"[unicode:characters_to_binary(io_lib:format(\"~0tp\", [T])) || T <- binary_to_term(base64:decode(<<\"{b64}\">>))].");
        var options = new TermParserOptions { Node = node, Creation = creation };
        var failures = new List<string>();
        for (int i = 0; i < corpus.Count; i++)
        {
            string ours = TermFormatter.ToErlang(corpus[i]);
            if (ours != texts[i]) failures.Add($"erl prints {texts[i]}, we print {ours}");
            if (!TryParse(() => TermParser.ParseErlang(texts[i], options), corpus[i], out var why)) failures.Add($"parsing erl's {texts[i]}: {why}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Elixir_text_matches_inspect_and_parses_back(OtpRelease release)
    {
        await using var session = await PeerSession.StartAsync(release, PeerKind.Elixir);
        var (node, creation) = await NodeAndCreation(session, "{node(), :erlang.system_info(:creation)}");
        var corpus = Corpus(node, creation);
        var texts = await PrintAll(session, corpus,
            b64 => $"for t <- :erlang.binary_to_term(Base.decode64!(\"{b64}\")), do: inspect(t, limit: :infinity, printable_limit: :infinity, pretty: false, width: :infinity)");
        var options = new TermParserOptions { Node = node, Creation = creation };
        var failures = new List<string>();
        for (int i = 0; i < corpus.Count; i++)
        {
            string ours = TermFormatter.ToElixir(corpus[i]);
            // Elixir 1.14 (with OTP 25) still printed charlists as 'abc'; 1.15+ print ~c"abc", as we do.
            if (release == OtpRelease.Otp25) ours = OldCharlists(ours);
            if (ours != texts[i]) failures.Add($"Elixir prints {texts[i]}, we print {ours}");
            if (!TryParse(() => TermParser.ParseElixir(texts[i], options), corpus[i], out var why)) failures.Add($"parsing Elixir's {texts[i]}: {why}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // ~c"a\"b'" as Elixir 1.14 wrote it: 'a"b\''.
    private static string OldCharlists(string text)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (!(text[i] == '~' && i + 2 < text.Length && text[i + 1] == 'c' && text[i + 2] == '"'))
            {
                sb.Append(text[i]);
                continue;
            }

            sb.Append('\'');
            for (i += 3; text[i] != '"'; i++)
            {
                if (text[i] == '\\' && text[i + 1] == '"') sb.Append(text[++i]);
                else if (text[i] == '\\') sb.Append(text[i]).Append(text[++i]);
                else if (text[i] == '\'') sb.Append("\\'");
                else sb.Append(text[i]);
            }

            sb.Append('\'');
        }

        return sb.ToString();
    }

    private static bool TryParse(Func<ErlangTerm> parse, ErlangTerm expected, out string why)
    {
        try
        {
            var parsed = parse();
            why = parsed.Equals(expected) ? "" : $"read as {parsed}";
        }
        catch (TermParseException e)
        {
            why = e.Message;
        }

        return why.Length == 0;
    }

    private static async Task<(ErlangAtom Node, uint Creation)> NodeAndCreation(PeerSession session, string expression)
    {
        var t = (ErlangTuple)TermDecoder.Decode(await session.EvalEtfAsync(expression));
        return ((ErlangAtom)t[0], (uint)((ErlangInteger)t[1]).Value);
    }

    private static async Task<List<string>> PrintAll(PeerSession session, List<ErlangTerm> corpus, Func<string, string> expression)
    {
        var carrier = TermEncoder.ToArray(new ErlangList(corpus.ToArray()));
        var etf = await session.EvalEtfAsync(expression(Convert.ToBase64String(carrier)));
        var printed = (ErlangList)TermDecoder.Decode(etf);
        Assert.Equal(corpus.Count, printed.Count);
        return printed.Elements.ToArray().Select(b => System.Text.Encoding.UTF8.GetString(((ErlangBinary)b).Bytes.Span)).ToList();
    }
}
