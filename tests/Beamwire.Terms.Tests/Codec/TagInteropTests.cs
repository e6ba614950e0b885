using System.Numerics;
using Beamwire.Terms.Tests.Support;
using Beamwire.Testing;
using Xunit;
using static Beamwire.Terms.Tests.Support.T;

namespace Beamwire.Terms.Tests.Codec;

/// <summary>
/// Every ETF tag, with bytes made by real erl: either <c>term_to_binary</c> output, or (for tags modern
/// OTP only accepts) a hand-written binary that erl's <c>binary_to_term</c> must accept. For each we
/// check the decoded term, the tag really used, and that our re-encoding is byte-identical to erl's
/// <c>term_to_binary(binary_to_term(B), [{minor_version, 2}])</c>.
/// </summary>
public class TagInteropTests
{
    private sealed record Case(string Tag, string ErlBinary, ErlangTerm? Expected, byte TopTag, Func<ErlangTerm, bool>? Check = null);

    private static readonly ErlangAtom XY = A("x@y");

    private static Case[] Cases() =>
    [
        new("SMALL_INTEGER_EXT", "term_to_binary(0)", 0, 97),
        new("SMALL_INTEGER_EXT", "term_to_binary(255)", 255, 97),
        new("INTEGER_EXT", "term_to_binary(256)", 256, 98),
        new("INTEGER_EXT", "term_to_binary(-1)", -1, 98),
        new("INTEGER_EXT", "term_to_binary(2147483647)", int.MaxValue, 98),
        new("INTEGER_EXT", "term_to_binary(-2147483648)", int.MinValue, 98),
        new("SMALL_BIG_EXT", "term_to_binary(2147483648)", 2147483648L, 110),
        new("SMALL_BIG_EXT", "term_to_binary(-2147483649)", -2147483649L, 110),
        new("SMALL_BIG_EXT", "term_to_binary(9223372036854775807)", long.MaxValue, 110),
        new("SMALL_BIG_EXT", "term_to_binary(-9223372036854775808)", long.MinValue, 110),
        new("SMALL_BIG_EXT", "term_to_binary(18446744073709551616)", Big("18446744073709551616"), 110),
        new("SMALL_BIG_EXT", "term_to_binary(-(1 bsl 2039))", ErlangInteger.Create(-BigInteger.Pow(2, 2039)), 110),
        new("LARGE_BIG_EXT", "term_to_binary(1 bsl 2040)", ErlangInteger.Create(BigInteger.Pow(2, 2040)), 111),
        new("LARGE_BIG_EXT", "term_to_binary(-(1 bsl 4000) + 7)", ErlangInteger.Create(7 - BigInteger.Pow(2, 4000)), 111),
        new("NEW_FLOAT_EXT", "term_to_binary(1.5)", 1.5, 70),
        new("NEW_FLOAT_EXT", "term_to_binary(-0.0)", -0.0, 70),
        new("NEW_FLOAT_EXT", "term_to_binary(5.0e-324)", double.Epsilon, 70),
        new("NEW_FLOAT_EXT", "term_to_binary(1.7976931348623157e308)", double.MaxValue, 70),
        new("FLOAT_EXT", "term_to_binary(1.5, [{minor_version, 0}])", 1.5, 99),
        new("FLOAT_EXT", "term_to_binary(-0.1, [{minor_version, 0}])", -0.1, 99),
        new("ATOM_EXT", "<<131,100,0,5,\"hello\">>", A("hello"), 100),
        new("ATOM_EXT", "<<131,100,0,2,233,233>>", A("éé"), 100),
        new("SMALL_ATOM_EXT", "<<131,115,5,\"hello\">>", A("hello"), 115),
        new("SMALL_ATOM_EXT", "<<131,115,1,255>>", A("ÿ"), 115),
        new("ATOM_UTF8_EXT", "term_to_binary(list_to_atom(lists:duplicate(200, 960)), [{minor_version, 2}])", A(new string('π', 200)), 118),
        new("SMALL_ATOM_UTF8_EXT", "term_to_binary('π', [{minor_version, 2}])", A("π"), 119),
        new("SMALL_ATOM_UTF8_EXT", "term_to_binary('', [{minor_version, 2}])", A(""), 119),
        new("NEW_PID_EXT", "<<131,88,119,3,\"x@y\",1:32,2:32,3:32>>", new ErlangPid(XY, 1, 2, 3), 88),
        new("NEW_PID_EXT", "<<131,88,119,3,\"x@y\",16#ffffffff:32,16#ffffffff:32,16#ffffffff:32>>", new ErlangPid(XY, uint.MaxValue, uint.MaxValue, uint.MaxValue), 88),
        new("NEW_PID_EXT", "term_to_binary(self())", null, 88, t => t is ErlangPid),
        new("PID_EXT", "<<131,103,119,3,\"x@y\",1:32,2:32,3>>", new ErlangPid(XY, 1, 2, 3), 103),
        new("NEW_PORT_EXT", "<<131,89,119,3,\"x@y\",5:32,3:32>>", new ErlangPort(XY, 5, 3), 89),
        // OTP 25 writes NEW_PORT_EXT for its own ports, OTP 26+ V4_PORT_EXT (0: either).
        new("NEW_PORT_EXT", "term_to_binary(hd(erlang:ports()))", null, 0, t => t is ErlangPort),
        new("V4_PORT_EXT", "<<131,120,119,3,\"x@y\",(1 bsl 40):64,3:32>>", new ErlangPort(XY, 1UL << 40, 3), 120),
        new("PORT_EXT", "<<131,102,119,3,\"x@y\",5:32,3>>", new ErlangPort(XY, 5, 3), 102),
        new("NEWER_REFERENCE_EXT", "<<131,90,0,3,119,3,\"x@y\",7:32,1:32,2:32,3:32>>", new ErlangReference(XY, 7, [1u, 2u, 3u]), 90),
        new("NEWER_REFERENCE_EXT", "<<131,90,0,5,119,3,\"x@y\",7:32,1:32,2:32,3:32,4:32,16#ffffffff:32>>", new ErlangReference(XY, 7, [1u, 2u, 3u, 4u, uint.MaxValue]), 90),
        new("NEWER_REFERENCE_EXT", "term_to_binary(make_ref())", null, 90, t => t is ErlangReference),
        new("NEW_REFERENCE_EXT", "<<131,114,0,3,119,3,\"x@y\",2,1:32,2:32,3:32>>", new ErlangReference(XY, 2, [1u, 2u, 3u]), 114),
        new("REFERENCE_EXT", "<<131,101,119,3,\"x@y\",1:32,2>>", new ErlangReference(XY, 2, [1u]), 101),
        new("SMALL_TUPLE_EXT", "term_to_binary({a, 1})", Tup(A("a"), 1), 104),
        new("SMALL_TUPLE_EXT", "term_to_binary({})", ErlangTuple.Empty, 104),
        new("LARGE_TUPLE_EXT", "term_to_binary(list_to_tuple(lists:seq(1, 256)))", Tup(Enumerable.Range(1, 256).Select(i => (ErlangTerm)i).ToArray()), 105),
        new("NIL_EXT", "term_to_binary([])", ErlangList.Nil, 106),
        new("STRING_EXT", "term_to_binary(\"abc\")", new ErlangString("abc"), 107),
        new("STRING_EXT", "term_to_binary(lists:seq(0, 255))", L(Enumerable.Range(0, 256).Select(i => (ErlangTerm)i).ToArray()), 107),
        new("STRING_EXT", "term_to_binary(lists:duplicate(65535, $a))", new ErlangString(new string('a', 65535)), 107),
        new("LIST_EXT", "term_to_binary(lists:duplicate(65536, $a))", new ErlangString(new string('a', 65536)), 108),
        new("LIST_EXT", "term_to_binary([1, 2 | 3])", new ErlangList([1, 2], 3), 108),
        new("LIST_EXT", "term_to_binary([a | b])", new ErlangList([A("a")], A("b")), 108),
        new("LIST_EXT", "term_to_binary([1000, -1, \"x\"])", L(1000, -1, new ErlangString("x")), 108),
        new("BINARY_EXT", "term_to_binary(<<>>)", ErlangBinary.Empty, 109),
        new("BINARY_EXT", "term_to_binary(<<1, 2, 3>>)", Bin(1, 2, 3), 109),
        new("BINARY_EXT", "term_to_binary(binary:copy(<<7>>, 70000))", new ErlangBinary(Enumerable.Repeat((byte)7, 70000).ToArray()), 109),
        new("BIT_BINARY_EXT", "term_to_binary(<<1:3>>)", new ErlangBitString(new byte[] { 0x20 }, 3), 77),
        new("BIT_BINARY_EXT", "term_to_binary(<<255, 5:4>>)", new ErlangBitString(new byte[] { 255, 0x50 }, 4), 77),
        new("MAP_EXT", "term_to_binary(#{})", ErlangMap.Empty, 116),
        new("MAP_EXT", "term_to_binary(#{a => 1, b => [x]})", Map(KV(A("a"), 1), KV(A("b"), L(A("x")))), 116),
        new("MAP_EXT", "term_to_binary(#{{connection_id, 1} => 5, {pending, 1} => 8})", Map(KV(Tup(A("connection_id"), 1), 5), KV(Tup(A("pending"), 1), 8)), 116),
        new("MAP_EXT", "term_to_binary(#{2 => a, 10 => b, 1.0 => c, zeta => d, alpha => e, {t} => f, \"s\" => g, <<\"b\">> => h})",
            Map(KV(2, A("a")), KV(10, A("b")), KV(1.0, A("c")), KV(A("zeta"), A("d")), KV(A("alpha"), A("e")), KV(Tup(A("t")), A("f")), KV(new ErlangString("s"), A("g")), KV(Bin((byte)'b'), A("h"))), 116),
        new("MAP_EXT", "term_to_binary(maps:from_list([{I, I * 2} || I <- lists:seq(1, 40)]))", Map(Enumerable.Range(1, 40).Select(i => KV(i, i * 2)).ToArray()), 116),
        new("EXPORT_EXT", "term_to_binary(fun lists:map/2)", new ErlangExport(A("lists"), A("map"), 2), 113),
        new("NEW_FUN_EXT", "begin Y = 5, term_to_binary(fun(X) -> X + Y end) end", null, 112, t => t is ErlangFun { Arity: 1 }),
        new("COMPRESSED", "term_to_binary(lists:duplicate(1000, 7), [compressed])", L(Enumerable.Repeat((ErlangTerm)7, 1000).ToArray()), 80),
        new("COMPRESSED", "term_to_binary({lists:seq(1, 500), binary:copy(<<\"ab\">>, 300)}, [{compressed, 9}])",
            Tup(L(Enumerable.Range(1, 500).Select(i => (ErlangTerm)i).ToArray()), ErlangBinary.FromUtf8(string.Concat(Enumerable.Repeat("ab", 300)))), 80),
    ];

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Every_tag_decodes_as_erl_means_it_and_re_encodes_as_erl_does(OtpRelease release)
    {
        await using var session = await PeerSession.StartAsync(release);
        var cases = Cases();
        string list = string.Join(",\n", cases.Select(c => c.ErlBinary));
        var etf = await session.EvalEtfAsync($"[{{B, term_to_binary(binary_to_term(B), [{{minor_version, 2}}])}} || B <- [{list}]].");
        var pairs = (ErlangList)TermDecoder.Decode(etf);
        Assert.Equal(cases.Length, pairs.Count);
        var failures = new List<string>();
        for (int i = 0; i < cases.Length; i++)
        {
            var c = cases[i];
            var pair = (ErlangTuple)pairs[i];
            var erlBytes = ((ErlangBinary)pair[0]).Bytes.ToArray();
            var canonical = ((ErlangBinary)pair[1]).Bytes.ToArray();
            string where = $"{c.Tag} `{c.ErlBinary}`";
            if (c.TopTag != 0 && erlBytes[1] != c.TopTag) failures.Add($"{where}: erl wrote tag {erlBytes[1]}, the case is about {c.TopTag}");
            ErlangTerm decoded;
            try
            {
                decoded = TermDecoder.Decode(erlBytes);
            }
            catch (TermDecodeException e)
            {
                failures.Add($"{where}: {e.Message}");
                continue;
            }

            if (c.Expected is not null && !c.Expected.Equals(decoded)) failures.Add($"{where}: decoded {Cut(decoded)}, expected {Cut(c.Expected)}");
            if (c.Check is not null && !c.Check(decoded)) failures.Add($"{where}: decoded {Cut(decoded)} fails its check");
            var ours = TermEncoder.ToArray(decoded);
            if (ContainsMap(decoded) || (release > OtpRelease.Otp25 && decoded is ErlangPort))
            {
                // Map byte order is OTP's own, and OTP 26+ writes every port as V4_PORT_EXT where we
                // keep NEW_PORT_EXT for ids of 28 bits (what OTP 25 writes and all releases accept):
                // see docs/terms.md. Compare what the bytes mean.
                if (!TermDecoder.Decode(canonical).Equals(decoded)) failures.Add($"{where}: erl's re-encoding decodes differently");
                if (!TermDecoder.Decode(ours).Equals(decoded)) failures.Add($"{where}: our re-encoding decodes differently");
            }
            else if (!ours.AsSpan().SequenceEqual(canonical))
            {
                failures.Add($"{where}: we encode {Hex(ours)}, erl encodes {Hex(canonical)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Cut(ErlangTerm t)
    {
        var s = t.ToString();
        return s.Length > 200 ? s[..200] + "..." : s;
    }
}
