using System.Net;
using System.Net.Sockets;
using Beamwire.Node.Connection;
using Xunit;

namespace Beamwire.Node.Tests.Connection;

/// <summary>Who writes a frame: its sender at once (a lone message, a turn in a conversation) or the writer thread (a burst).</summary>
public sealed class OutboundQueueTests : IDisposable
{
    private readonly Socket _ours;
    private readonly Socket _theirs;
    private readonly OutboundQueue _queue = new(1 << 20);

    public OutboundQueueTests()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        _ours = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _ours.Connect(listener.LocalEndPoint!);
        _theirs = listener.Accept();
        _queue.Start(_ours, "test");
    }

    private OutboundBuffer? Queue(byte value)
    {
        lock (_queue.Gate)
        {
            var span = _queue.Buffer.GetSpan(4);
            span[..4].Fill(value);
            _queue.Buffer.Advance(4);
            return _queue.Commit(4);
        }
    }

    [Fact]
    public void After_the_peer_spoke_the_next_frame_is_written_by_its_sender_however_soon()
    {
        for (byte i = 1; i <= 50; i++)
        {
            // The peer's frame arrived, then our reply: the sender writes it, even right after our last write.
            _queue.PeerSpoke();
            var batch = Queue(i);
            Assert.NotNull(batch);
            _queue.WriteInline(batch);
        }

        var received = new byte[200];
        var got = 0;
        while (got < received.Length) got += _theirs.Receive(received, got, received.Length - got, SocketFlags.None);
        for (var i = 0; i < 50; i++) Assert.Equal(new byte[] { (byte)(i + 1), (byte)(i + 1), (byte)(i + 1), (byte)(i + 1) }, received[(i * 4)..(i * 4 + 4)]);
    }

    [Fact]
    public void Frames_queued_while_a_write_is_in_progress_are_written_by_the_writer_thread_in_order()
    {
        var first = Queue(1);
        Assert.NotNull(first); // a lone frame: its sender writes it
        _queue.PeerSpoke();
        Assert.Null(Queue(2)); // the sender's write has not happened yet: this one waits for the writer thread
        Assert.Null(Queue(3));
        _queue.WriteInline(first);

        var received = new byte[12];
        var got = 0;
        _theirs.ReceiveTimeout = 5000;
        while (got < received.Length) got += _theirs.Receive(received, got, received.Length - got, SocketFlags.None);
        Assert.Equal(new byte[] { 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3 }, received);
    }

    private byte[] ReceiveExactly(int count)
    {
        var received = new byte[count];
        var got = 0;
        _theirs.ReceiveTimeout = 5000;
        while (got < count) got += _theirs.Receive(received, got, count - got, SocketFlags.None);
        return received;
    }

    [Fact]
    public void Corked_frames_wait_for_the_outermost_release_then_leave_in_order()
    {
        using (Cork.Begin())
        {
            Assert.Null(Queue(1));
            using (Cork.Begin()) Assert.Null(Queue(2)); // an inner release writes nothing
            Assert.Null(Queue(3));
            Thread.Sleep(100);
            Assert.Equal(0, _theirs.Available); // nothing was written, not even by the writer thread
        }

        Assert.Equal(new byte[] { 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3 }, ReceiveExactly(12));
        Assert.Equal(0L, _queue.QueuedBytes);
    }

    [Fact]
    public void A_busy_queue_is_never_corked()
    {
        using var small = new OutboundQueue(1024); // the smallest limit
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var ours = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        ours.Connect(listener.LocalEndPoint!);
        using var theirs = listener.Accept();
        small.Start(ours, "small");
        using (Cork.Begin())
        {
            // Over the limit the frames go to the writer thread at once: a corked sender that then waits for
            // room (Send blocks on a busy connection) must not wait for its own frames.
            for (var i = 0; i < 8; i++)
            {
                OutboundBuffer? batch;
                lock (small.Gate)
                {
                    small.Buffer.GetSpan(256)[..256].Fill((byte)i);
                    small.Buffer.Advance(256);
                    batch = small.Commit(256);
                }

                if (batch is not null) small.WriteInline(batch); // what DistConnection.Enqueue does
            }

            small.WaitForCapacityAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(5));
            Assert.True(small.QueuedBytes < 1024, $"{small.QueuedBytes} bytes still queued under the cork");
        }

        small.Close();
    }

    public void Dispose()
    {
        _queue.Close();
        _queue.Dispose();
        _ours.Dispose();
        _theirs.Dispose();
    }
}
