using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>
/// io between real erl nodes and Beamwire: every io request is answered (an error reply for bad data, never
/// a hang), whichever side serves it, and the operator functions every Beamwire node runs for erl's rpc.
/// Every wait is bounded: a request left unanswered fails the test instead of hanging it.
/// </summary>
public class IoInteropTests
{
    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Erl_io_requests_to_a_beamwire_group_leader_always_get_a_reply(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var log = new CapturingLogger();
        await using var node = await TestNodes.StartAsync(epmd.Port, log: log);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        var bw = $"'{node.Self}'";
        Assert.Equal("true", await peer.EvalTextAsync($"begin U = rpc:call({bw}, erlang, whereis, [user]), is_pid(U) end."));
        await peer.EvalTextAsync(
            "Ask = fun(Req) -> R = make_ref(), U ! {io_request, self(), R, Req}, receive {io_reply, R, X} -> X after 20000 -> no_reply end end.");

        // Raw requests, as any io server client sends them.
        Assert.Equal("{error,put_chars}", await peer.EvalTextAsync("Ask({put_chars, unicode, [16#D800]})."));
        Assert.Equal("{error,put_chars}", await peer.EvalTextAsync("Ask({put_chars, unicode, [-1]})."));
        Assert.Equal("{error,put_chars}", await peer.EvalTextAsync("Ask({put_chars, unicode, <<255,254>>})."));
        Assert.Equal("{error,put_chars}", await peer.EvalTextAsync("Ask({put_chars, unicode, io_lib, format, [\"~tc\", [16#D800]]})."));
        Assert.Equal("{error,put_chars}", await peer.EvalTextAsync("Ask({put_chars, unicode, io_lib, format, [\"~s\", [{not_text}]]})."));
        Assert.Equal("{error,request}", await peer.EvalTextAsync("Ask(bogus)."));
        Assert.Equal("eof", await peer.EvalTextAsync("Ask({get_line, unicode, \"> \"})."));

        // io:format itself (io.erl turns the error reply into badarg), in a process so a hang shows as no_reply.
        Assert.Equal("badarg", await peer.EvalTextAsync(
            "begin S = self(), spawn(fun() -> S ! {io, catch io:format(U, \"~tc\", [16#D800])} end), " +
            "receive {io, {'EXIT', {Why, _}}} -> Why; {io, Other} -> Other after 20000 -> no_reply end end."));

        // The erl node's own io_lib:format renders what it sends (~p exactly as Erlang prints it).
        Assert.Equal("ok", await peer.EvalTextAsync("io:format(U, \"from erl ~p ~ts~n\", [#{a => [1,2]}, <<\"é\"/utf8>>])."));
        Assert.True(await TestNodes.EventuallyAsync(() => log.Contains("from erl #{a => [1,2]} é")), log.Text);
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Io_with_bad_data_in_a_call_across_fails_the_call_instead_of_hanging_it(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        var bw = $"'{node.Self}'";
        var bounded = TimeSpan.FromSeconds(20);

        // erl → Beamwire: the .NET io functions write to the erl caller's group leader, which refuses the data.
        Assert.StartsWith("{badrpc,{'EXIT',{badarg,", await peer.EvalTextAsync($"rpc:call({bw}, io, put_chars, [[16#D800]], 20000)."), StringComparison.Ordinal);
        Assert.StartsWith("{error,{exception,badarg,", await peer.EvalTextAsync(
            $"try erpc:call({bw}, io, put_chars, [[-1]], 20000) catch C:R -> {{C, R}} end."), StringComparison.Ordinal);
        Assert.Equal("ok", await peer.EvalTextAsync($"rpc:call({bw}, io, format, [\"fine ~p~n\", [dotnet]], 20000)."));
        await peer.WaitForOutputAsync("fine dotnet", bounded);

        // Beamwire → erl: erl code prints bad data to our group leader; io:format there fails with badarg.
        var p = peer.NodeName;
        var bad = await Assert.ThrowsAsync<RpcException>(() => node.RpcAsync(p, "io", "format", [new ErlangString("~tc"), new ErlangList(ErlangInteger.Create(0xD800))], bounded));
        Assert.StartsWith("{'EXIT',{badarg,", bad.Reason.ToString(), StringComparison.Ordinal);
        var badChars = await Assert.ThrowsAsync<RpcException>(() => node.RpcAsync(p, "io", "put_chars", [new ErlangList(ErlangInteger.Create(-1))], bounded));
        Assert.StartsWith("{'EXIT',{badarg,", badChars.Reason.ToString(), StringComparison.Ordinal);

        // A group leader of our own gets what erl prints, rendered by erl's io_lib.
        var printed = new List<string>();
        using var gl = node.CreateGroupLeader(t =>
        {
            lock (printed) printed.Add(t);
        });
        Assert.Equal("ok", (await node.RpcAsync(p, "io", "format", [new ErlangString("~p and ~s~n"), new ErlangList(new ErlangTuple(ErlangAtom.Get("a"), new ErlangFloat(1.5)), new ErlangString("text"))], gl.Pid, bounded)).ToString());
        lock (printed) Assert.Equal(["{a,1.5} and text\n"], printed);
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Erl_drives_a_library_node_with_the_operator_functions(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        var bw = $"'{node.Self}'";
        var me = peer.NodeName;

        Assert.Equal("pong", await peer.EvalTextAsync($"rpc:call({bw}, net_adm, ping, [node()])."));
        Assert.Equal("pang", await peer.EvalTextAsync($"rpc:call({bw}, net_adm, ping, ['nobody@{TestHost.ShortName}'])."));
        Assert.Equal("true", await peer.EvalTextAsync($"rpc:call({bw}, net_kernel, connect_node, [node()])."));
        Assert.Equal($"'{TestNodes.Cookie}'", await peer.EvalTextAsync($"rpc:call({bw}, erlang, get_cookie, [])."));
        // rpc:call made from the Beamwire node, back to erl: the value, badrpc shapes, and output at the original caller.
        Assert.Equal(me, await peer.EvalTextAsync($"rpc:call({bw}, rpc, call, [node(), erlang, node, []])."));
        Assert.StartsWith("{badrpc,{'EXIT',{undef,", await peer.EvalTextAsync($"rpc:call({bw}, rpc, call, [node(), nomod, nofun, [], 20000])."), StringComparison.Ordinal);
        Assert.Equal("ok", await peer.EvalTextAsync($"rpc:call({bw}, rpc, call, [node(), io, format, [\"relayed ~p~n\", [twice]]])."));
        await peer.WaitForOutputAsync("relayed twice", TimeSpan.FromSeconds(20));
        // disconnect_node from the Beamwire side drops the connection; erl sees it go.
        Assert.Equal("ok", await peer.EvalTextAsync($"begin monitor_node({bw}, true), spawn(fun() -> rpc:call({bw}, erlang, disconnect_node, [node()]) end), ok end."));
        Assert.Equal("down", await peer.EvalTextAsync($"receive {{nodedown, {bw}}} -> down after 20000 -> still_up end."));
    }
}
