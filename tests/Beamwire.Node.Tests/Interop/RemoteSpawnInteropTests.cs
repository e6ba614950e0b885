using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>Remote spawn both ways: erl spawning exposed .NET functions, Beamwire spawning Erlang functions.</summary>
public class RemoteSpawnInteropTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static ErlangAtom A(string name) => ErlangAtom.Get(name);

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Spawn_crosses_the_wire_both_ways(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        // bw_proc:echo(ReplyTo): receives one message and sends {got, Msg} back; bw_proc:die(Reason) exits.
        node.Functions.Register("bw_proc", "echo", 1, async (self, args) =>
        {
            var m = await self.ReceiveAsync();
            self.Send((ErlangPid)args[0], new ErlangTuple(A("got"), m, self.Pid));
            return ErlangAtom.Ok;
        });
        node.Functions.Register("bw_proc", "die", 1, async (self, args) =>
        {
            await self.ReceiveAsync(m => m.Equals(A("now")));
            LocalProcess.Exit(args[0]);
            return ErlangAtom.Ok;
        });
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        var bw = $"'{node.Self}'";

        // erl -> Beamwire: spawn/4, spawn_link/4, spawn_monitor/4 of exposed functions.
        Assert.Equal("hi", await peer.EvalTextAsync(
            $"P1 = spawn({bw}, bw_proc, echo, [self()]), P1 ! hi, receive {{got, M1, P1}} -> M1 after 5000 -> timeout end."));
        Assert.Equal("{shutdown,bye}", await peer.EvalTextAsync(
            $"process_flag(trap_exit, true), P2 = spawn_link({bw}, bw_proc, die, [{{shutdown, bye}}]), P2 ! now, receive {{'EXIT', P2, R2}} -> R2 after 5000 -> timeout end."));
        // A .NET exception in the function: Erlang's error exit reason {Reason, Stack}.
        var crash = await peer.EvalTextAsync(
            $"{{P3, M3}} = spawn_monitor({bw}, bw_proc, echo, [not_a_pid]), P3 ! x, receive {{'DOWN', M3, process, P3, R3}} -> R3 after 5000 -> timeout end.");
        Assert.StartsWith("{{dotnet_exception,'System.InvalidCastException',", crash, StringComparison.Ordinal);
        Assert.EndsWith(",[{bw_proc,echo,1,[]}]}", crash, StringComparison.Ordinal);
        // Anything not exposed is spawned and exits undef, as on a BEAM node.
        Assert.Equal("{undef,[{nomod,nofun,[a],[]}]}", await peer.EvalTextAsync(
            $"{{P4, M4}} = spawn_monitor({bw}, nomod, nofun, [a]), receive {{'DOWN', M4, process, P4, R4}} -> R4 after 5000 -> timeout end."));
        // An option we do not know is refused with badopt, as erlang:spawn_opt would be.
        Assert.Equal("{error,badopt}", await peer.EvalTextAsync(
            $"R5 = erlang:spawn_request({bw}, bw_proc, echo, [self()], [{{no_such_option, 1}}]), receive {{spawn_reply, R5, error, W5}} -> {{error, W5}} after 5000 -> timeout end."));

        // Beamwire -> erl: spawn an Erlang function; it sends to our mailbox.
        using var box = node.CreateMailbox();
        box.TrapExit = true;
        var (e1, _) = await box.SpawnRemoteAsync(peer.NodeName, "erlang", "send", [box.Pid, A("hello_from_erl")]);
        Assert.Equal(A("hello_from_erl"), await box.ReceiveAsync(m => m.Equals(A("hello_from_erl")), Wait));
        Assert.Equal(peer.NodeName, e1.Node.Name);

        // With link and monitor: killing it gives us both the 'EXIT' and the DOWN (monitor ref = request id).
        var (e2, req2) = await box.SpawnRemoteAsync(peer.NodeName, "timer", "sleep", [ErlangAtom.Infinity], link: true, monitor: true);
        Assert.Contains(e2, box.Links);
        node.Exit(e2, ErlangAtom.Kill);
        Assert.Equal("killed", ((ErlangTuple)await box.ReceiveAsync(m => m is ErlangTuple { Count: 3 } t && t[1].Equals(e2), Wait))[2].ToString());
        var down = (ErlangTuple)await box.ReceiveAsync(m => m is ErlangTuple { Count: 5 } t && t[1].Equals(req2), Wait);
        Assert.Equal("killed", down[4].ToString());

        // An undefined Erlang function: spawned, then exits undef.
        var (_, req3) = await box.SpawnRemoteAsync(peer.NodeName, "nomod", "nofun", [], monitor: true);
        var undef = (ErlangTuple)await box.ReceiveAsync(m => m is ErlangTuple { Count: 5 } t && t[1].Equals(req3), Wait);
        Assert.StartsWith("{undef,[{nomod,nofun,[],", undef[4].ToString(), StringComparison.Ordinal);

        // A node that cannot be reached: noconnection.
        var ex = await Assert.ThrowsAsync<RemoteSpawnException>(() => box.SpawnRemoteAsync($"nobody@{TestHost.ShortName}", "erlang", "node", []));
        Assert.Equal("noconnection", ex.Reason.ToString());
    }
}
