using System.Numerics;
using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>Messages of every kind of term, both ways, compared with what the real runtime encodes.</summary>
public class MessagingTests
{
    // Erlang expressions covering every kind of term, including fresh atoms (new atom-cache entries)
    // and binaries over 1 MB (which OTP sends in fragments).
    private static readonly (string Label, string Expr)[] ErlangTerms =
    [
        ("small integer", "42"),
        ("negative integer", "-7"),
        ("32-bit integer", "2147483647"),
        ("64-bit integer", "-9223372036854775808"),
        ("bignum", "1 bsl 200"),
        ("negative bignum", "-(1 bsl 90)"),
        ("float", "3.141592653589793"),
        ("atom", "hello"),
        ("unicode atom", "'héllo_π'"),
        ("fresh atom", "list_to_atom(\"fresh_\" ++ integer_to_list(erlang:unique_integer([positive])))"),
        ("empty binary", "<<>>"),
        ("binary", "<<1,2,3,255>>"),
        ("bitstring", "<<1:1, 0:2, 5:3>>"),
        ("1 MB+ binary", "binary:copy(<<\"0123456789abcdef\">>, 70000)"),
        ("empty tuple", "{}"),
        ("tuple", "{a, 1, \"s\", <<\"b\">>}"),
        ("large tuple", "list_to_tuple(lists:seq(1, 300))"),
        ("nil", "[]"),
        ("string", "\"hello world\""),
        ("list", "[1, two, \"three\", {4}]"),
        ("improper list", "[1, 2 | three]"),
        ("unicode list", "[960, 8364, 128512]"),
        ("small map", "#{a => 1, \"b\" => [2], {c} => #{}}"),
        ("large map", "maps:from_list([{I, integer_to_binary(I)} || I <- lists:seq(1, 40)])"),
        ("pid", "self()"),
        ("reference", "make_ref()"),
        ("port", "hd(erlang:ports())"),
        ("export fun", "fun lists:reverse/1"),
        ("nested", "{ok, [#{key => {self(), make_ref()}}, [<<>> | <<\"tail\">>], -1.5e300]}"),
    ];

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Erlang_sends_every_kind_of_term_to_a_beamwire_mailbox(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        using var inbox = node.CreateMailbox("inbox");

        var n = 0;
        foreach (var (label, expr) in ErlangTerms)
        {
            n++;
            var r = await peer.EvalAsync($"begin T{n} = {expr}, {{inbox, '{node.Self}'}} ! T{n}, T{n} end.");
            Assert.True(r.Ok, $"{label}: {r.Text}");
            var expected = TermDecoder.Decode(r.Etf);
            var got = await inbox.ReceiveAsync(TimeSpan.FromSeconds(10));
            Assert.True(expected.Equals(got), $"{label}: sent {Show(expected)}, received {Show(got)}");
        }

        var conn = node.Connections.Get(NodeName.Parse(peer.NodeName))!;
        Assert.True(conn.ReassembledMessages > 0, "the 1 MB binary should have arrived in fragments");
        Assert.True(conn.AtomCacheEntries > 0, "atoms should have arrived through the distribution atom cache");
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Erlang_sends_to_a_beamwire_pid_in_order(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        using var inbox = node.CreateMailbox("inbox");
        using var anon = node.CreateMailbox();

        // Hand Erlang our anonymous pid, then let it send to the pid (SEND_SENDER).
        await peer.EvalTextAsync("register(shell_rcv, self()).");
        inbox.Send("shell_rcv", peer.NodeName, anon.Pid);
        Assert.Equal("ok", await peer.EvalTextAsync("receive P when is_pid(P) -> put(p, P), ok after 10000 -> timeout end."));
        Assert.Equal("ok", await peer.EvalTextAsync("begin [get(p) ! {n, I} || I <- lists:seq(1, 2000)], ok end."));
        for (var i = 1; i <= 2000; i++)
        {
            var m = (ErlangTuple)await anon.ReceiveAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(ErlangInteger.Create(i), m[1]);
        }
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Beamwire_sends_every_kind_of_term_to_a_registered_erlang_process(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port, log: new CapturingLogger());
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        using var box = node.CreateMailbox();
        await peer.EvalTextAsync("register(rcv, self()).");

        var n = 0;
        foreach (var (label, term) in DotNetTerms(node, box))
        {
            n++;
            box.Send("rcv", peer.NodeName, term);
            if (term is ErlangBinary { Length: > 1_000_000 } blob)
            {
                // Printing a megabyte back through the test harness is slow: compare digests instead.
#pragma warning disable CA5351 // a checksum, compared with erlang:md5/1
                var md5 = Convert.ToHexString(System.Security.Cryptography.MD5.HashData(blob.Bytes.Span));
#pragma warning restore CA5351
                Assert.Equal($"<<\"{md5}\">>", await peer.EvalTextAsync($"receive M{n} -> binary:encode_hex(erlang:md5(M{n})) after 10000 -> no_message_arrived end."));
                continue;
            }

            var r = await peer.EvalAsync($"receive M{n} -> M{n} after 10000 -> no_message_arrived end.");
            Assert.True(r.Ok, $"{label}: {r.Text}");
            var back = TermDecoder.Decode(r.Etf);
            Assert.True(term.Equals(back), $"{label}: sent {Show(term)}, Erlang received {Show(back)}\n{peer.Output}");
        }

        // Order per pair: 2000 messages to the evaluator's pid arrive in send order.
        var rcvPid = (ErlangPid)TermDecoder.Decode((await peer.EvalAsync("self().")).Etf);
        for (var i = 1; i <= 2000; i++) box.Send(rcvPid, ErlangInteger.Create(i));
        Assert.Equal("true", await peer.EvalTextAsync("[receive Xo -> Xo after 10000 -> timeout end || _ <- lists:seq(1, 2000)] =:= lists:seq(1, 2000)."));
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Beamwire_sends_atoms_through_its_atom_cache_and_erlang_reads_them_back(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        using var box = node.CreateMailbox();
        await peer.EvalTextAsync("register(rcv, self()).");

        // 3,000 distinct atoms over 60 messages take the 2,048 slots over and over; sent twice, the second
        // round mixes cached entries with new ones. Erlang builds the same lists and compares.
        static ErlangList Batch(int k) => new(Enumerable.Range(k * 50, 50).Select(i => (ErlangTerm)ErlangAtom.Get($"cache_{i}")).ToArray());
        const string ErlBatch = "[list_to_atom(\"cache_\" ++ integer_to_list(I)) || I <- lists:seq(K*50, K*50+49)]";
        for (var round = 0; round < 2; round++)
        {
            for (var k = 0; k < 60; k++) box.Send("rcv", peer.NodeName, Batch(k));
            Assert.Equal("true", await peer.EvalTextAsync(
                $"lists:all(fun(K) -> receive M -> M =:= {ErlBatch} after 10000 -> false end end, lists:seq(0, 59))."));
        }

        // More than 255 atoms in one message (the rest go in full) and atoms over 255 UTF-8 bytes (LongAtoms).
        box.Send("rcv", peer.NodeName, new ErlangTuple(Batch(0), Batch(1), Batch(2), Batch(3), Batch(4), Batch(5), Batch(6)));
        Assert.Equal("true", await peer.EvalTextAsync(
            $"receive M -> M =:= list_to_tuple([{ErlBatch} || K <- lists:seq(0, 6)]) after 10000 -> false end."));
        // A closure (NEW_FUN_EXT declares its size: nothing inside it may become a cache reference) goes
        // from Erlang to us and back, and Erlang can still call it.
        using var inbox = node.CreateMailbox("funbox");
        Assert.Equal("ok", await peer.EvalTextAsync($"begin K = 21, {{funbox, '{node.Self}'}} ! {{fn, fun(X) -> X * 2 + K - K end}}, ok end."));
        var fn = (ErlangTuple)await inbox.ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.IsType<ErlangFun>(fn[1]);
        box.Send("rcv", peer.NodeName, new ErlangTuple(ErlangAtom.Get("fn_back"), box.Pid, fn[1])); // the fun last: its size is checked against what is left
        Assert.Equal("42", await peer.EvalTextAsync("receive {fn_back, P, G} when is_pid(P) -> G(21) after 10000 -> no_fun end."));

        var longAtom = ErlangAtom.Get(new string('\u03c0', 200));
        box.Send("rcv", peer.NodeName, new ErlangTuple(longAtom, box.Pid, longAtom));
        Assert.Equal("true", await peer.EvalTextAsync(
            "receive {A, P, A} when is_pid(P) -> A =:= list_to_atom(lists:duplicate(200, 960)) after 10000 -> false end."));
    }

    private static IEnumerable<(string, ErlangTerm)> DotNetTerms(BeamNode node, Mailbox box)
    {
        var big = new byte[1_200_000];
        new Random(7).NextBytes(big);
        yield return ("small integer", ErlangInteger.Create(42));
        yield return ("64-bit integer", ErlangInteger.Create(long.MinValue));
        yield return ("bignum", new ErlangBigInteger(BigInteger.Pow(3, 150)));
        yield return ("negative bignum", new ErlangBigInteger(-BigInteger.Pow(2, 70)));
        yield return ("float", new ErlangFloat(-2.5e-300));
        yield return ("atom", ErlangAtom.Get("hello"));
        yield return ("unicode atom", ErlangAtom.Get("héllo_π_😀"));
        yield return ("fresh atom", ErlangAtom.Get("fresh_from_dotnet_" + Guid.NewGuid().ToString("N")));
        yield return ("empty binary", ErlangBinary.Empty);
        yield return ("1 MB+ binary", new ErlangBinary(big));
        yield return ("bitstring", new ErlangBitString(new byte[] { 0xAB, 0xC0 }, 3));
        yield return ("empty tuple", new ErlangTuple());
        yield return ("large tuple", new ErlangTuple(Enumerable.Range(0, 300).Select(i => (ErlangTerm)ErlangInteger.Create(i)).ToArray()));
        yield return ("nil", ErlangList.Nil);
        yield return ("string", new ErlangString("hello world"));
        yield return ("list", new ErlangList(ErlangInteger.Create(1), ErlangAtom.Get("two"), new ErlangString("three")));
        yield return ("improper list", new ErlangList([ErlangInteger.Create(1)], ErlangAtom.Get("tail")));
        yield return ("map with tuple keys", new ErlangMap(
            new KeyValuePair<ErlangTerm, ErlangTerm>(new ErlangTuple(ErlangAtom.Get("k")), ErlangInteger.Create(1)),
            new KeyValuePair<ErlangTerm, ErlangTerm>(ErlangBinary.FromUtf8("b"), ErlangList.Nil)));
        yield return ("large map", new ErlangMap(Enumerable.Range(0, 40).Select(i =>
            new KeyValuePair<ErlangTerm, ErlangTerm>(ErlangInteger.Create(i), ErlangBinary.FromUtf8(i.ToString(System.Globalization.CultureInfo.InvariantCulture))))));
        yield return ("pid", box.Pid);
        yield return ("reference", node.MakeRef());
        yield return ("export", new ErlangExport(ErlangAtom.Get("lists"), ErlangAtom.Get("reverse"), 1));
        yield return ("nested", new ErlangTuple(ErlangAtom.Ok, new ErlangList(box.Pid, node.MakeRef(), new ErlangFloat(1.5))));
    }

    private static string Show(ErlangTerm t)
    {
        var s = t.ToString();
        return s.Length <= 200 ? s : s[..200] + "...";
    }
}
