using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Beamwire.Epmd.Diagnostics;
using Beamwire.Epmd.Protocol;

namespace Beamwire.Epmd.Daemon;

/// <summary>
/// One accepted connection: read one request into a pooled buffer, answer, close — or, after ALIVE2,
/// hold the connection until the client closes it, which unregisters the name.
/// <para>
/// Fast path: the listener accepts only once a request has arrived (TCP_DEFER_ACCEPT), so the accept
/// thread usually finds the whole frame already there and serves it with plain blocking calls
/// (receive, send, close) — no event-loop registration, no thread hop. Anything else (a partial
/// frame, a large reply, a registration to watch) continues asynchronously under the request timeout.
/// </para>
/// </summary>
internal sealed class DaemonConnection(Socket socket, EpmdDaemon daemon, int fd) : IConnectionHandle
{
    /// <summary>Replies up to this size are written inline: they fit an empty socket buffer.</summary>
    internal const int InlineReplyLimit = 16 * 1024;

    private int _aborted;
    private int _released;
    private int _isLocal = -1;

    public int Fd { get; } = fd;

    /// <summary>When the connection was accepted (Environment.TickCount64), for the request timeout.</summary>
    public long AcceptedAt { get; } = Environment.TickCount64;

    /// <summary>True once ALIVE2 was answered: such connections are exempt from the request timeout.</summary>
    public bool IsRegistration { get; private set; }

    // Computed only for the requests that ask (ALIVE2, DUMP, KILL, STOP), keeping lookups cheap.
    public bool IsLocal
    {
        get
        {
            if (_isLocal < 0)
                _isLocal = ComputeIsLocal() ? 1 : 0;
            return _isLocal == 1;
        }
    }

    /// <summary>True the first time: the daemon's bookkeeping for this connection is undone once.</summary>
    public bool TryMarkReleased() => Interlocked.Exchange(ref _released, 1) == 0;

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
            socket.Dispose();
    }

    /// <summary>Serves the connection on the calling (accept) thread as far as it can without waiting.</summary>
    public void Serve()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(EpmdCodes.InBufferSize);
        int got;
        try
        {
            var available = socket.Available;
            got = available > 0 ? socket.Receive(buffer, 0, Math.Min(available, RequestFrame.FirstReadLimit), SocketFlags.None) : 0;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Finish(Disposition.Close);
            return;
        }

        Serve(buffer, got);
    }

    /// <summary>Continues with bytes the accept loop has read already.</summary>
    public void Serve(ReadOnlySpan<byte> received)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(EpmdCodes.InBufferSize);
        received.CopyTo(buffer);
        Serve(buffer, received.Length);
    }

    // Takes ownership of the rented buffer.
    private void Serve(byte[] buffer, int got)
    {
        byte[]? owned = buffer;
        try
        {
            var status = RequestFrame.Check(buffer.AsSpan(0, got), out var want);
            if (status == FrameStatus.NeedMore)
            {
                // Not all there yet: wait for it asynchronously (the buffer goes with it).
                daemon.Track(this);
                owned = null;
                _ = ContinueAsync(buffer, got, want);
                return;
            }

            if (status != FrameStatus.Complete)
            {
                LogBadFrame(daemon.Logger, status, got, want);
                Finish(Disposition.Close);
                return;
            }

            var outcome = daemon.Processor.Process(buffer.AsSpan(2, got - 2), this);
            ArrayPool<byte>.Shared.Return(buffer);
            owned = null;
            if (outcome.Then == Disposition.Keep || outcome.Reply.Length > InlineReplyLimit)
            {
                daemon.Track(this);
                _ = ReplyAsync(outcome);
                return;
            }

            if (!outcome.Reply.IsEmpty)
                socket.Send(outcome.Reply.Span, SocketFlags.None);
            Finish(outcome.Then);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Finish(Disposition.Close);
        }
        finally
        {
            if (owned is not null)
                ArrayPool<byte>.Shared.Return(owned);
        }
    }

    private async Task ContinueAsync(byte[] buffer, int got, int want)
    {
        Outcome? outcome = null;
        try
        {
            while (true)
            {
                var limit = want == 0 ? RequestFrame.FirstReadLimit : want;
                var n = await socket.ReceiveAsync(buffer.AsMemory(got, limit - got), SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    EpmdLog.PartialPacket(daemon.Logger, Fd, got);
                    Reject("partial");
                    break;
                }

                got += n;
                var status = RequestFrame.Check(buffer.AsSpan(0, got), out want);
                if (status == FrameStatus.Complete)
                {
                    outcome = daemon.Processor.Process(buffer.AsSpan(2, got - 2), this);
                    break;
                }

                if (status != FrameStatus.NeedMore)
                {
                    LogBadFrame(daemon.Logger, status, got, want);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Reset by the peer, or aborted by us (request timeout, shutdown).
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (outcome is { } o)
            await ReplyAsync(o).ConfigureAwait(false);
        else
            Finish(Disposition.Close);
    }

    private async Task ReplyAsync(Outcome outcome)
    {
        var then = outcome.Then;
        try
        {
            if (then == Disposition.Keep)
                IsRegistration = true;
            var reply = outcome.Reply;
            while (!reply.IsEmpty)
                reply = reply[await socket.SendAsync(reply, SocketFlags.None).ConfigureAwait(false)..];
            if (then == Disposition.Keep)
                await WatchAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The client went away (or we aborted it): for a registration that ends it, as in epmd.
        }

        Finish(then);
    }

    // epmd never expects anything more on a registration: data, end of stream or an error all end it.
    private async Task WatchAsync()
    {
        var one = new byte[1];
        var n = await socket.ReceiveAsync(one, SocketFlags.None).ConfigureAwait(false);
        if (n > 0)
        {
            EpmdLog.DataOnAliveSocket(daemon.Logger, Fd);
            Reject("alive_data");
        }
    }

    private void Finish(Disposition then)
    {
        // Give the number back before the name and the socket go, as epmd frees the fd in the
        // same step: a client that saw either and connects again gets the same number as with epmd.
        daemon.Release(this);
        if (then == Disposition.Keep)
            daemon.Unregister(this);
        Abort();
        if (then == Disposition.Kill)
            daemon.Kill();
    }

    internal static void LogBadFrame(Microsoft.Extensions.Logging.ILogger logger, FrameStatus status, int got, int want)
    {
        if (status == FrameStatus.BadLength)
        {
            EpmdLog.InvalidPacketSize(logger, want - 2);
            Reject("size");
        }
        else
        {
            EpmdLog.TrailingBytes(logger, got - 2, want - 2);
            Reject("trailing");
        }
    }

    internal static void Reject(string reason) =>
        EpmdMetrics.DaemonRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    private bool ComputeIsLocal()
    {
        try
        {
            if (socket.RemoteEndPoint is not IPEndPoint remote)
                return false;
            var address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
            if (IPAddress.IsLoopback(address))
                return true;
            return socket.LocalEndPoint is IPEndPoint local
                && (local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address).Equals(address);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false; // epmd: failing to get the peer name means not local
        }
    }
}
