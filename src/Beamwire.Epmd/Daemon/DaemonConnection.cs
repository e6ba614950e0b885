using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Beamwire.Epmd.Diagnostics;
using Beamwire.Epmd.Protocol;

namespace Beamwire.Epmd.Daemon;

/// <summary>
/// One accepted connection: read one length-prefixed request into a pooled buffer (epmd's limits:
/// body 1..3057 bytes, nothing after it), answer, then close — or, after ALIVE2, hold the connection
/// until the client closes it, which unregisters the name. Runs synchronously on the accept loop's
/// thread while the bytes are already there, which is the common case.
/// </summary>
internal sealed class DaemonConnection(Socket socket, EpmdDaemon daemon, int fd) : IConnectionHandle
{
    private int _aborted;
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

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
            socket.Dispose();
    }

    public async Task RunAsync()
    {
        var disposition = Disposition.Close;
        try
        {
            var outcome = await ReadAndProcessAsync().ConfigureAwait(false);
            if (outcome is not { } o)
                return;
            disposition = o.Then;
            if (disposition == Disposition.Keep)
                IsRegistration = true;
            if (!o.Reply.IsEmpty && !await SendAsync(o.Reply).ConfigureAwait(false))
                return;
            if (disposition == Disposition.Keep)
                await WatchAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            // The peer reset, or we aborted the connection (timeout, STOP, shutdown): nothing to answer.
        }
        finally
        {
            // Give the number back before the name and the socket go, as epmd frees the fd in the
            // same step: a client that saw either and connects again gets the same number as with epmd.
            daemon.Release(this);
            if (disposition == Disposition.Keep)
                daemon.Unregister(this);
            Abort();
            if (disposition == Disposition.Kill)
                daemon.Kill();
        }
    }

    private async ValueTask<Outcome?> ReadAndProcessAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(EpmdCodes.InBufferSize);
        try
        {
            int got = 0, want = 0;
            while (want == 0 || got < want)
            {
                var limit = want == 0 ? EpmdCodes.InBufferSize - 1 : want;
                var n = await socket.ReceiveAsync(buffer.AsMemory(got, limit - got), SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    EpmdLog.PartialPacket(daemon.Logger, Fd, got);
                    Reject("partial");
                    return null;
                }

                got += n;
                if (want == 0 && got >= 2)
                {
                    want = BinaryPrimitives.ReadUInt16BigEndian(buffer) + 2;
                    if (want < 3 || want >= EpmdCodes.InBufferSize)
                    {
                        EpmdLog.InvalidPacketSize(daemon.Logger, want - 2);
                        Reject("size");
                        return null;
                    }

                    if (got > want)
                    {
                        EpmdLog.TrailingBytes(daemon.Logger, got - 2, want - 2);
                        Reject("trailing");
                        return null;
                    }
                }
            }

            return daemon.Processor.Process(buffer.AsSpan(2, got - 2), this);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> reply)
    {
        while (!reply.IsEmpty)
        {
            var n = await socket.SendAsync(reply, SocketFlags.None).ConfigureAwait(false);
            reply = reply[n..];
        }

        return true;
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

    private static void Reject(string reason) =>
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
