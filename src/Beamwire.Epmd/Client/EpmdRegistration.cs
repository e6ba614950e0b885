using System.Net.Sockets;
using Beamwire.Epmd.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Beamwire.Epmd;

/// <summary>
/// A node's registration in epmd. It owns the ALIVE2 connection: epmd keeps the name exactly as long
/// as this connection is open, so dispose it when the node stops (that unregisters the name).
/// <see cref="Lost"/> fires if epmd goes away first (epmd killed or the name stopped with
/// <c>epmd -stop</c>); the node may then register again.
/// </summary>
public sealed class EpmdRegistration : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _watch;
    private int _disposed;

    internal EpmdRegistration(Socket socket, string name, int port, uint creation, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
        Name = name;
        Port = port;
        Creation = creation;
        _watch = WatchAsync();
    }

    /// <summary>The registered name (without <c>@host</c>).</summary>
    public string Name { get; }

    /// <summary>The distribution port registered for it.</summary>
    public int Port { get; }

    /// <summary>
    /// The creation epmd assigned: 32-bit (ALIVE2_X_RESP) for version-6 nodes, 1..3 from the old
    /// ALIVE2_RESP. It changes with every registration of the same name, so pids, ports and references
    /// of a restarted node differ from the old ones.
    /// </summary>
    public uint Creation { get; }

    /// <summary>Cancelled when epmd closed the registration's connection while we still held it.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>True while the connection is open and epmd has not closed it.</summary>
    public bool IsActive => Volatile.Read(ref _disposed) == 0 && !_lost.IsCancellationRequested;

    // epmd never writes on an ALIVE2 connection after its reply: a read that completes means epmd
    // closed it (or reset it); a read that fails with Operation Aborted means we disposed it.
    private async Task WatchAsync()
    {
        var one = new byte[1];
        try
        {
            await _socket.ReceiveAsync(one, SocketFlags.None).ConfigureAwait(false);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        if (Volatile.Read(ref _disposed) == 0)
        {
            EpmdLog.RegistrationLost(_logger, Name);
            _lost.Cancel();
        }
    }

    /// <summary>Closes the connection, which makes epmd drop the name.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        _socket.Dispose();
        await _watch.ConfigureAwait(false);
        _lost.Dispose();
        EpmdLog.Unregistered(_logger, Name);
    }

    public override string ToString() => $"{Name} port {Port} creation {Creation}";
}
