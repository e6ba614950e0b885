using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>Calls waiting on a peer are failed by that peer's nodedown (they wait on its connection, not on a node-wide event).</summary>
public class CallsInFlightTests
{
    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Every_call_in_flight_fails_with_nodedown_when_its_peer_goes(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        Assert.True(await node.ConnectAsync(peer.NodeName));
        // A registered process that never answers: the calls pile up in its queue.
        Assert.Equal("true", await peer.EvalTextAsync("register(bw_sink, spawn(fun() -> receive never_sent -> ok end end))."));
        var name = NodeName.Parse(peer.NodeName);
        var calls = Enumerable.Range(0, 500)
            .Select(i => node.CallAsync(ErlangAtom.Get("bw_sink"), name, ErlangInteger.Create(i), CancellationToken.None))
            .ToArray();
        Assert.Equal("500", await TestNodes.EventuallyEvalAsync(peer,
            "element(2, process_info(whereis(bw_sink), message_queue_len)).", "500", TimeSpan.FromSeconds(60)));
        Assert.All(calls, c => Assert.False(c.IsCompleted));

        peer.Signal("KILL");
        foreach (var call in calls)
        {
            // Bounded: a call that missed the nodedown would wait for ever.
            await Assert.ThrowsAsync<NodeDownException>(() => call.WaitAsync(TimeSpan.FromSeconds(60)));
        }
    }
}
