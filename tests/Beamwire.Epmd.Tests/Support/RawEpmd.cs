using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Beamwire.Epmd.Tests.Support;

/// <summary>Raw TCP requests to any epmd (real or ours), so tests can compare exact reply bytes.</summary>
internal static class RawEpmd
{
    public static byte[] Frame(params byte[] body)
    {
        var f = new byte[2 + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(f, (ushort)body.Length);
        body.CopyTo(f, 2);
        return f;
    }

    public static byte[] Alive2Body(string name, int port, ushort high = 6, ushort low = 5, byte type = 77, byte[]? extra = null)
    {
        var n = Encoding.UTF8.GetBytes(name);
        extra ??= [];
        var b = new byte[13 + n.Length + extra.Length];
        b[0] = 120;
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(1), (ushort)port);
        b[3] = type;
        b[4] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(5), high);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(7), low);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(9), (ushort)n.Length);
        n.CopyTo(b, 11);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(11 + n.Length), (ushort)extra.Length);
        extra.CopyTo(b, 13 + n.Length);
        return b;
    }

    public static byte[] Named(byte code, string name) => [code, .. Encoding.UTF8.GetBytes(name)];

    /// <summary>Sends raw bytes (optionally half-closing), then reads until the daemon closes; the reply may be empty.</summary>
    public static async Task<byte[]> SendAsync(int port, byte[] bytes, bool halfClose = false, string host = "127.0.0.1")
    {
        using var s = await ConnectAsync(port, host);
        await s.SendAsync(bytes, SocketFlags.None);
        if (halfClose) s.Shutdown(SocketShutdown.Send);
        return await ReadToEndAsync(s);
    }

    /// <summary>Sends an ALIVE2 frame and reads its reply of <paramref name="replyLength"/> bytes, keeping the connection.</summary>
    public static async Task<(Socket Socket, byte[] Reply)> KeepAsync(int port, byte[] frame, int replyLength)
    {
        var s = await ConnectAsync(port, "127.0.0.1");
        await s.SendAsync(frame, SocketFlags.None);
        var reply = new byte[replyLength];
        var got = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (got < replyLength)
        {
            var n = await s.ReceiveAsync(reply.AsMemory(got), SocketFlags.None, cts.Token);
            if (n == 0) break;
            got += n;
        }

        return (s, reply[..got]);
    }

    public static async Task<Socket> ConnectAsync(int port, string host)
    {
        var address = IPAddress.Parse(host);
        var s = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await s.ConnectAsync(new IPEndPoint(address, port));
        return s;
    }

    public static async Task<byte[]> ReadToEndAsync(Socket s)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var all = new MemoryStream();
        var buf = new byte[4096];
        while (true)
        {
            int n;
            try
            {
                n = await s.ReceiveAsync(buf, SocketFlags.None, cts.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                break;
            }

            if (n == 0) break;
            all.Write(buf, 0, n);
        }

        return all.ToArray();
    }

    /// <summary>Polls PORT_PLEASE2 until the name is gone (epmd notices a closed registration asynchronously).</summary>
    public static async Task WaitUntilUnregisteredAsync(int port, string name)
    {
        for (var i = 0; i < 200; i++)
        {
            var r = await SendAsync(port, Frame(Named(122, name)));
            if (r.Length == 2 && r[1] == 1) return;
            await Task.Delay(10);
        }

        throw new TimeoutException($"{name} stayed registered");
    }
}
