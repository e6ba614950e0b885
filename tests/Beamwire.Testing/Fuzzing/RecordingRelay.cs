using System.Net;
using System.Net.Sockets;

namespace Beamwire.Testing.Fuzzing;

/// <summary>The bytes of one relayed connection, each direction whole.</summary>
public sealed class RelayedConnection
{
    private readonly MemoryStream _fromClient = new();
    private readonly MemoryStream _fromServer = new();

    /// <summary>What the side that connected sent (a copy).</summary>
    public byte[] FromClient
    {
        get { lock (_fromClient) return _fromClient.ToArray(); }
    }

    /// <summary>What the side that accepted sent (a copy).</summary>
    public byte[] FromServer
    {
        get { lock (_fromServer) return _fromServer.ToArray(); }
    }

    internal void Record(bool fromClient, ReadOnlySpan<byte> bytes)
    {
        var s = fromClient ? _fromClient : _fromServer;
        lock (s) s.Write(bytes);
    }
}

/// <summary>
/// A loopback TCP relay that records what goes through it: listen on <see cref="Port"/>, connect each
/// accepted connection to the target, copy both ways. Puts a recorder between two real peers (erl and
/// epmd, erl and a Beamwire node) without changing either.
/// </summary>
public sealed class RecordingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<int> _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<RelayedConnection> _connections = [];
    private readonly List<Task> _pumps = [];
    private readonly List<Socket> _sockets = [];
    private readonly Task _accept;

    /// <param name="targetPort">Where to connect each accepted connection, asked for at accept time (it may be known only later).</param>
    public RecordingRelay(Func<int> targetPort)
    {
        _target = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accept = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>The connections relayed so far, in accept order.</summary>
    public IReadOnlyList<RelayedConnection> Connections
    {
        get { lock (_connections) return _connections.ToList(); }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            client.NoDelay = true;
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _target(), _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            var recorded = new RelayedConnection();
            lock (_connections)
            {
                _connections.Add(recorded);
                _sockets.Add(client);
                _sockets.Add(server);
                _pumps.Add(PumpAsync(client, server, recorded, fromClient: true));
                _pumps.Add(PumpAsync(server, client, recorded, fromClient: false));
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to, RelayedConnection recorded, bool fromClient)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (n == 0) break;
                recorded.Record(fromClient, buffer.AsSpan(0, n));
                var sent = 0;
                while (sent < n) sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // One side went away: so does the relayed connection.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accept.ConfigureAwait(false);
        Task[] pumps;
        lock (_connections)
        {
            foreach (var s in _sockets) s.Dispose();
            pumps = [.. _pumps];
        }

        await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _stop.Dispose();
    }
}
