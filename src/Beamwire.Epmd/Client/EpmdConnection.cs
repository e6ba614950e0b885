using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Beamwire.Epmd.Protocol;

namespace Beamwire.Epmd.Client;

/// <summary>
/// One TCP connection to epmd for one request, the way epmd wants it: connect, write the frame,
/// read the reply (epmd closes after every reply except ALIVE2's).
/// </summary>
internal static class EpmdConnection
{
    /// <summary>Replies longer than this are refused instead of buffered (NAMES of a huge epmd stays far below).</summary>
    public const int MaxReplyBytes = 1 << 20;

    public static async Task<Socket> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port, CancellationToken ct)
    {
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), ct).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException ex)
            {
                last = ex;
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        var where = string.Join(", ", addresses.Select(a => new IPEndPoint(a, port).ToString()));
        throw new EpmdException(EpmdErrorReason.NotRunning,
            $"No epmd answers on {where} ({last?.SocketErrorCode.ToString() ?? "no address"}). Start one (`beamwire epmd -daemon` or `epmd -daemon`) or set ERL_EPMD_PORT.",
            last);
    }

    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes; returns how many arrived before end of stream.</summary>
    public static async ValueTask<int> ReadAtLeastAsync(Socket socket, Memory<byte> buffer, CancellationToken ct)
    {
        var got = 0;
        while (got < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[got..], SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0)
                break;
            got += n;
        }

        return got;
    }

    /// <summary>Reads until epmd closes the connection, into a pooled buffer the caller returns.</summary>
    public static async ValueTask<(byte[] Buffer, int Length)> ReadToEndAsync(Socket socket, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxReplyBytes)
                        throw new EpmdException(EpmdErrorReason.Malformed, $"epmd's reply exceeds {MaxReplyBytes} bytes.");
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var n = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0)
                    return (buffer, length);
                length += n;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public static async Task SendAsync(Socket socket, byte[] frame, CancellationToken ct)
    {
        var sent = 0;
        while (sent < frame.Length)
            sent += await socket.SendAsync(frame.AsMemory(sent), SocketFlags.None, ct).ConfigureAwait(false);
    }

    public static EpmdException ClosedEarly(string what, int got) => new(EpmdErrorReason.Malformed,
        $"epmd closed the connection after {got} bytes of its {what} (epmd answers some requests only from the local host, and ignores invalid ones).");

}
