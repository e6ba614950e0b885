using System.Net;
using System.Net.Sockets;

namespace Beamwire.Benchmarks.Epmd;

/// <summary>
/// Clients that are in the middle of a request while the rate is measured: each connected and sent
/// the first byte of its frame, so the daemon has accepted it and must keep track of it. At the end
/// each sends the rest and must get the full, correct reply.
/// </summary>
internal sealed class HeldClients : IDisposable
{
    private readonly List<Socket> _sockets = new();
    private readonly byte[] _request;
    private int _failedToOpen;

    private HeldClients(byte[] request) => _request = request;

    public static HeldClients Open(IPEndPoint endpoint, int count, byte[] request)
    {
        var held = new HeldClients(request);
        for (var i = 0; i < count; i++)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                s.Connect(endpoint);
                s.Send(request, 0, 1, SocketFlags.None);
                held._sockets.Add(s);
            }
            catch (SocketException)
            {
                held._failedToOpen++;
                s.Dispose();
            }
        }

        return held;
    }

    public (int Ok, int Failed) Complete(byte[] expected)
    {
        var failed = _failedToOpen;
        foreach (var s in _sockets)
        {
            try
            {
                s.Send(_request, 1, _request.Length - 1, SocketFlags.None);
            }
            catch (SocketException)
            {
                failed++;
            }
        }

        var ok = 0;
        var buffer = new byte[64 * 1024];
        foreach (var s in _sockets)
        {
            s.ReceiveTimeout = 10_000;
            try
            {
                if (EpmdLoad.ReadAll(s, buffer, out var n) && buffer.AsSpan(0, n).SequenceEqual(expected)) ok++;
                else failed++;
            }
            catch (SocketException)
            {
                failed++;
            }
        }

        return (ok, failed);
    }

    public void Dispose() => _sockets.ForEach(s => s.Dispose());
}
