using System.Diagnostics;
using Beamwire.Node.Tests.Support;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>Losing a peer: a dead one is noticed at once, a silent one after the tick time.</summary>
public class NodeDownTests
{
    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Killed_peer_gives_nodedown_at_once(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        Assert.True(await node.ConnectAsync(peer.NodeName));
        var down = new TaskCompletionSource<NodeDownEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.NodeDown += (_, e) => down.TrySetResult(e);

        var sw = Stopwatch.StartNew();
        peer.Signal("KILL");
        var e = await down.Task.WaitAsync(TimeSpan.FromSeconds(30));
        sw.Stop();
        // The closed socket tells at once; a missed close would wait for the tick timeout (45-60 s at the
        // default 60 s tick time). A second is the goal on an idle machine; 5 s holds on a loaded one.
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"nodedown took {sw.Elapsed}");
        Assert.Equal(peer.NodeName, e.Node.Full);
        Assert.Equal("connection_closed", e.Reason);
        Assert.Empty(node.Nodes());
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Silent_peer_gives_nodedown_after_the_tick_time(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var log = new CapturingLogger();
        await using var node = await TestNodes.StartAsync(epmd.Port, log: log, configure: o => o.NetTickTime = TimeSpan.FromSeconds(4));
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release)
        {
            EpmdPort = epmd.Port, Cookie = TestNodes.Cookie, ExtraArgs = ["-kernel", "net_ticktime", "4"],
        });
        Assert.True(await node.ConnectAsync(peer.NodeName));
        var down = new TaskCompletionSource<NodeDownEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.NodeDown += (_, e) => down.TrySetResult(e);

        // Idle but alive for twice the tick time: only ticks keep the connection up, both ways.
        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.False(down.Task.IsCompleted, "an idle but ticking peer must stay connected");
        Assert.Equal($"[{node.Self}]", await peer.EvalTextAsync("nodes()."));

        var sw = Stopwatch.StartNew();
        peer.Signal("STOP");
        var e = await down.Task.WaitAsync(TimeSpan.FromSeconds(30));
        sw.Stop();
        Assert.Equal("net_tick_timeout", e.Reason);
        // Four silent tick intervals of 1 s after the peer's last tick (at most 1 s before the STOP): 3-5 s
        // after the STOP; the upper bound leaves a loaded machine 3 s more.
        Assert.InRange(sw.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(8));
        Assert.True(log.Contains($"Node {peer.NodeName} not responding"), log.Text);
    }
}
