using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;
using static Beamwire.Node.Tests.Processes.LocalNode;

namespace Beamwire.Node.Tests.Processes;

/// <summary>Two Beamwire nodes (no epmd, fixed ports): rex's call path, GenServer, links, monitors and spawn between them.</summary>
public class TwoNodeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static Task<BeamNode> StartAsync(int listen, int peer) => TestNodes.StartWithoutEpmdAsync("bw2", listen, peer);

    [Fact]
    public async Task Beamwire_nodes_call_link_monitor_and_spawn_across_the_wire()
    {
        var (pa, pb) = (FreePort.Next(), FreePort.Next());
        await using var a = await StartAsync(pa, pb);
        await using var b = await StartAsync(pb, pa);
        var bn = b.Self.Full;
        b.Functions.Register("m", "twice", 1, x => ((ErlangInteger)x[0]).Value * 2);
        b.Functions.Register("m", "wait", 0, async (self, _) =>
        {
            LocalProcess.Exit(await self.ReceiveAsync());
            return ErlangAtom.Ok;
        });

        // rpc through B's rex ({call, M, F, A, GroupLeader}), with rpc's badrpc shapes.
        Assert.Equal("42", (await a.RpcAsync(bn, "m", "twice", [21])).ToString());
        var undef = await Assert.ThrowsAsync<RpcException>(() => a.RpcAsync(bn, "nomod", "f", []));
        Assert.Equal("{'EXIT',{undef,[{nomod,f,[],[]}]}}", undef.Reason.ToString());
        Assert.Equal(bn, (await a.RpcAsync(bn, "erlang", "node", [])).ToString());

        // GenServer by {Name, Node}.
        await GenServer.StartAsync(b, new GenServerTests.Counter(), "counter");
        GenServer.Cast(a, ServerRef.Remote("counter", bn), new ErlangTuple(Atom("add"), 3));
        Assert.Equal("3", (await GenServer.CallAsync(a, ServerRef.Remote("counter", bn), Atom("get"))).ToString());

        // A process spawned on B from A, linked and monitored; it exits with a reason.
        using var box = a.CreateMailbox();
        box.TrapExit = true;
        var (child, req) = await box.SpawnRemoteAsync(bn, "m", "wait", [], link: true, monitor: true);
        box.Send(child, new ErlangTuple(Atom("shutdown"), Atom("x")));
        Assert.Equal("{shutdown,x}", ((ErlangTuple)await box.ReceiveAsync(m => Tagged(m, "EXIT"), Wait))[2].ToString());
        Assert.Equal("{shutdown,x}", ((ErlangTuple)await box.ReceiveAsync(m => Tagged(m, "DOWN"), Wait))[4].ToString());
        Assert.NotNull(req);

        // Links and monitors over the connection break with noconnection when it goes.
        var onB = b.Spawn(async self => await self.ReceiveAsync(m => m.Equals(Atom("never"))));
        box.Link(onB);
        var mref = box.Monitor(onB);
        Assert.True(await TestNodes.EventuallyAsync(() => ((LocalProcess)b.Processes.Lookup(onB)!).Links.Count == 1));
        Assert.True(await TestNodes.EventuallyAsync(() => ((LocalProcess)b.Processes.Lookup(onB)!).MonitoredBy.Count == 1));
        Assert.True(a.Disconnect(bn));
        Assert.Equal("noconnection", ((ErlangTuple)await box.ReceiveAsync(m => Tagged(m, "EXIT"), Wait))[2].ToString());
        Assert.Equal($"{{'DOWN',{mref},process,{onB},noconnection}}", (await box.ReceiveAsync(m => Tagged(m, "DOWN"), Wait)).ToString());
        Assert.True(await TestNodes.EventuallyAsync(() => !b.IsProcessAlive(onB))); // not trapping: the link killed it
    }
}
