using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>A peer that stops reading fills the send queue: senders wait instead of memory growing.</summary>
public class BackPressureTests
{
    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Sends_to_a_stopped_peer_wait_at_the_queue_limit_and_resume(OtpRelease release)
    {
        const int limit = 256 * 1024;
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port, configure: o => o.SendQueueLimit = limit);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        await peer.EvalTextAsync("register(sink, self()).");
        using var box = node.CreateMailbox();
        Assert.Equal(PingResult.Pong, await node.PingAsync(peer.NodeName));
        var conn = node.Connections.Get(NodeName.Parse(peer.NodeName))!;

        peer.Signal("STOP");
        var payload = new ErlangBinary(new byte[16 * 1024]);
        var sent = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        // The kernel's socket buffers take a few MB first; then our queue fills and SendAsync waits.
        var sender = Task.Run(async () =>
        {
            for (var i = 0; i < 4000; i++)
            {
                await box.SendAsync("sink", peer.NodeName, payload, cts.Token);
                Interlocked.Increment(ref sent);
            }
        });
        // Once the kernel's socket buffers stop taking bytes and the queue reaches its limit, the sender stays
        // parked: its count holds still for a whole second (a loaded machine's pauses are shorter; a sender
        // that kept queuing would not stop before its 4,000th message).
        int stuckAt;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (true)
        {
            stuckAt = Volatile.Read(ref sent);
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (Volatile.Read(ref sent) == stuckAt && conn.QueuedBytes >= limit / 2) break; // not a sender yet to start
            Assert.True(DateTime.UtcNow < deadline, $"the sender never stopped: {sent} sent, {conn.QueuedBytes} bytes queued");
        }

        Assert.False(sender.IsCompleted, $"the sender finished ({sender.Status}, {sender.Exception?.GetBaseException().Message}) after {sent} sends");
        Assert.True(sent < 4000);
        // A parked sender waits for the queue to drain below half the limit; the writer may have drained it
        // part of the way before the kernel stopped taking bytes, so it holds between that and the limit
        // (plus the frame or two that crossed it).
        Assert.InRange(conn.QueuedBytes, limit / 2, limit + 2 * (payload.Length + 64));

        peer.Signal("CONT");
        await sender.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(4000, sent);
        Assert.Equal("4000", await peer.EvalTextAsync("length([x || _ <- lists:seq(1, 4000), receive <<_:16384/binary>> -> true after 10000 -> false end])."));
    }
}
