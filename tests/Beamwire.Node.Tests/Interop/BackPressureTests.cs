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
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        // The kernel's socket buffers take a few MB first; then our queue fills and SendAsync waits.
        var sender = Task.Run(async () =>
        {
            for (var i = 0; i < 4000; i++)
            {
                await box.SendAsync("sink", peer.NodeName, payload, cts.Token);
                Interlocked.Increment(ref sent);
            }
        });
        Assert.True(await TestNodes.EventuallyAsync(() => conn.IsBusy || sender.IsCompleted, TimeSpan.FromSeconds(15)),
            $"the queue never filled: {sent} sent, {conn.QueuedBytes} bytes queued");
        Assert.False(sender.IsCompleted, $"the sender finished ({sender.Status}, {sender.Exception?.GetBaseException().Message}) after {sent} sends");

        // Once the kernel's socket buffers stop taking bytes, the sender stays parked.
        var stuckAt = -1;
        for (var i = 0; i < 40 && stuckAt != Volatile.Read(ref sent); i++)
        {
            stuckAt = Volatile.Read(ref sent);
            await Task.Delay(250);
        }

        Assert.Equal(stuckAt, Volatile.Read(ref sent)); // waiting, not queuing
        Assert.True(sent < 4000);
        Assert.InRange(conn.QueuedBytes, limit, limit + 2 * (payload.Length + 64));

        peer.Signal("CONT");
        await sender.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(4000, sent);
        Assert.Equal("4000", await peer.EvalTextAsync("length([x || _ <- lists:seq(1, 4000), receive <<_:16384/binary>> -> true after 10000 -> false end])."));
    }
}
