using System.Net;
using System.Net.Sockets;
using Beamwire.Node.Connection;
using Xunit;

namespace Beamwire.Node.Tests.Connection;

/// <summary>
/// Who writes a frame and when: its sender at once (a lone message, a turn in a conversation), the writer
/// thread (a burst, a write in progress), or the release of a cork (frames that belong together).
/// </summary>
public sealed class OutboundQueueTests : IDisposable
{
    private readonly Socket _ours;
    private readonly Socket _theirs;
    private readonly OutboundQueue _queue = new(1 << 20);

    public OutboundQueueTests()
    {
        (_ours, _theirs) = ConnectedPair();
        _queue.Start(_ours, "test");
    }

    private static (Socket Ours, Socket Theirs) ConnectedPair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var ours = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        ours.Connect(listener.LocalEndPoint!);
        var theirs = listener.Accept();
        theirs.ReceiveTimeout = 5000; // a frame that never comes fails the test instead of hanging it
        return (ours, theirs);
    }

    /// <summary>Queues <paramref name="size"/> bytes of <paramref name="value"/> as DistConnection.Enqueue does; returns the batch its sender must write.</summary>
    private static OutboundBuffer? Queue(OutboundQueue queue, byte value, int size = 4)
    {
        lock (queue.Gate)
        {
            queue.Buffer.GetSpan(size)[..size].Fill(value);
            queue.Buffer.Advance(size);
            return queue.Commit(size);
        }
    }

    private static byte[] ReceiveExactly(Socket socket, int count)
    {
        var received = new byte[count];
        var got = 0;
        while (got < count)
        {
            var n = socket.Receive(received, got, count - got, SocketFlags.None);
            if (n == 0) break;
            got += n;
        }

        Assert.Equal(count, got);
        return received;
    }

    private static byte[] Frames(params byte[] values) => values.SelectMany(v => Enumerable.Repeat(v, 4)).ToArray();

    [Fact]
    public void After_the_peer_spoke_the_next_frame_is_written_by_its_sender_however_soon()
    {
        for (byte i = 1; i <= 50; i++)
        {
            // The peer's frame arrived, then our reply: the sender writes it, even right after our last write.
            _queue.PeerSpoke();
            var batch = Queue(_queue, i);
            Assert.NotNull(batch);
            _queue.WriteInline(batch);
        }

        Assert.Equal(Frames([.. Enumerable.Range(1, 50).Select(i => (byte)i)]), ReceiveExactly(_theirs, 200));
    }

    [Fact]
    public void A_frame_queued_during_a_write_waits_for_that_write_even_after_the_peer_spoke()
    {
        var first = Queue(_queue, 1);
        Assert.NotNull(first); // a lone frame: its sender writes it
        _queue.PeerSpoke();
        Assert.Null(Queue(_queue, 2)); // the sender's write has not happened yet: this one is the writer thread's
        Assert.Null(Queue(_queue, 3));
        _queue.WriteInline(first);

        Assert.Equal(Frames(1, 2, 3), ReceiveExactly(_theirs, 12));
    }

    [Fact]
    public void Corked_frames_wait_for_the_outermost_release_then_leave_in_order()
    {
        using (Cork.Begin())
        {
            Assert.Null(Queue(_queue, 1));
            using (Cork.Begin()) Assert.Null(Queue(_queue, 2)); // an inner release writes nothing
            Assert.Null(Queue(_queue, 3));
            Thread.Sleep(500); // time for a writer thread that wrongly took the frames to send them
            Assert.Equal(0, _theirs.Available); // nothing was written, not even by the writer thread
        }

        Assert.Equal(Frames(1, 2, 3), ReceiveExactly(_theirs, 12));
        Assert.Equal(0L, _queue.QueuedBytes);
    }

    [Fact]
    public void A_busy_queue_is_never_corked()
    {
        var (ours, theirs) = ConnectedPair();
        using var small = new OutboundQueue(1024); // the smallest limit
        small.Start(ours, "small");
        try
        {
            using (Cork.Begin())
            {
                // From the limit on, frames go out at once: a corked sender that then waits for room (Send
                // blocks on a busy connection) must not wait for its own frames.
                for (byte i = 0; i < 8; i++)
                {
                    var batch = Queue(small, i, 256);
                    if (batch is not null) small.WriteInline(batch);
                }

                Assert.True(small.WaitForCapacityAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(5)), "no room came while corked");
                var sent = ReceiveExactly(theirs, 1024 + 256); // everything up to and including the frame that reached the limit
                for (var i = 0; i < sent.Length; i++) Assert.Equal((byte)(i / 256), sent[i]);
            }

            var rest = ReceiveExactly(theirs, 3 * 256); // the frames held after that one leave at the release
            for (var i = 0; i < rest.Length; i++) Assert.Equal((byte)(5 + i / 256), rest[i]);
            Assert.Equal(0L, small.QueuedBytes);
        }
        finally
        {
            small.Close();
            ours.Dispose();
            theirs.Dispose();
        }
    }

    public void Dispose()
    {
        _queue.Close();
        _queue.Dispose();
        _ours.Dispose();
        _theirs.Dispose();
    }
}
