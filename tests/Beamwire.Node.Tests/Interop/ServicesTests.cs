using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>What every BEAM node answers, answered by Beamwire: net_kernel, rex, pg, monitors, unlink acks.</summary>
public class ServicesTests
{
    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Node_services_answer_like_a_beam_node(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var log = new CapturingLogger();
        await using var node = await TestNodes.StartAsync(epmd.Port, log: log);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release)
        {
            EpmdPort = epmd.Port, Cookie = TestNodes.Cookie, ExtraArgs = ["-kernel", "start_pg", "true"],
        });
        var n = node.Self.Full;

        // is_auth with a plain reference tag, and with the [alias|Ref] tag gen:call uses since OTP 24.
        Assert.Equal("yes", await peer.EvalTextAsync(
            $"begin R1 = make_ref(), {{net_kernel, '{n}'}} ! {{'$gen_call', {{self(), R1}}, {{is_auth, node()}}}}, receive {{R1, A1}} -> A1 after 5000 -> timeout end end."));
        Assert.Equal("yes", await peer.EvalTextAsync($"gen_server:call({{net_kernel, '{n}'}}, {{is_auth, node()}}, 5000)."));

        // rex: the features_request every node sends on nodeup.
        Assert.Equal($"{{features_reply,{n},[erpc]}}", await peer.EvalTextAsync(
            $"begin {{rex, '{n}'}} ! {{self(), features_request}}, receive {{features_reply, _, _}} = F -> F after 5000 -> timeout end end."));

        // pg: the peer's default scope discovered ours (it broadcasts joins and leaves to us) and we its.
        var pg = node.Pg;
        Assert.True(await TestNodes.EventuallyAsync(() => pg.Peers.Any(p => p.Node.Name == peer.NodeName)));
        var evaluator = (ErlangPid)TermDecoder.Decode((await peer.EvalAsync("self().")).Etf);
        Assert.Equal("ok", await peer.EvalTextAsync("pg:join(bw_group, self())."));
        Assert.True(await TestNodes.EventuallyAsync(() => pg.GetMembers("bw_group").Contains(evaluator)));
        Assert.Equal("ok", await peer.EvalTextAsync("pg:leave(bw_group, self())."));
        Assert.True(await TestNodes.EventuallyAsync(() => pg.GetMembers("bw_group").Count == 0));

        // A monitor on a name nobody registered gets noproc at once, as from a BEAM node.
        Assert.Equal("noproc", await peer.EvalTextAsync(
            $"begin M1 = erlang:monitor(process, {{nobody_here, '{n}'}}), receive {{'DOWN', M1, process, _, Why}} -> Why after 5000 -> timeout end end."));
        Assert.Equal("noproc", await peer.EvalTextAsync(
            $"try gen_server:call({{nobody_here, '{n}'}}, hello, 5000) catch exit:{{Reason, _}} -> Reason end."));

        // link/unlink: the link is set up on our side, the UNLINK_ID removes it and is acknowledged.
        using var box = node.CreateMailbox("linkme");
        box.Send("shell", peer.NodeName, box.Pid); // unregistered name: dropped, as in Erlang
        await peer.EvalTextAsync("register(shell, self()).");
        box.Send("shell", peer.NodeName, box.Pid);
        Assert.Equal("true", await peer.EvalTextAsync("receive P2 when is_pid(P2) -> link(P2) after 5000 -> timeout end."));
        Assert.True(await TestNodes.EventuallyAsync(() => box.Links.Contains(evaluator)));
        Assert.Equal("true", await peer.EvalTextAsync("unlink(P2)."));
        Assert.True(await TestNodes.EventuallyAsync(() => box.Links.Count == 0));
        Assert.True(await TestNodes.EventuallyAsync(() => log.Contains("UNLINK_ID")), log.Text);
        Assert.Equal(PingResult.Pong, await node.PingAsync(peer.NodeName)); // still connected
    }
}
