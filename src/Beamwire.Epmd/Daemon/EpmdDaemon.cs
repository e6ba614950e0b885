using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Beamwire.Epmd.Daemon;
using Beamwire.Epmd.Daemon.Accept;
using Beamwire.Epmd.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beamwire.Epmd;

/// <summary>
/// An epmd in this process, byte-compatible with Erlang's: real erl nodes and Beamwire nodes register
/// in it and look each other up through it. Bounded: one request per connection, epmd's request size
/// limit, a request timeout, and a maximum number of connections; bad input closes that connection
/// with a log line and never disturbs the others.
/// </summary>
public sealed class EpmdDaemon : IAsyncDisposable
{
    private readonly EpmdDaemonOptions _options;
    private readonly List<Socket> _listeners;
    private readonly ConcurrentDictionary<DaemonConnection, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FdNumbers _fds;
    private readonly Timer _sweeper;
    private List<Thread> _acceptThreads = [];
    private int _connectionCount;
    private int _stopped;

    private EpmdDaemon(EpmdDaemonOptions options, List<Socket> listeners, ILogger logger)
    {
        _options = options;
        _listeners = listeners;
        Logger = logger;
        Port = ((IPEndPoint)listeners[0].LocalEndPoint!).Port;
        EndPoints = listeners.ConvertAll(l => (IPEndPoint)l.LocalEndPoint!);
        Table = new NodeTable(options.MaxUnregisteredNames) { EpmdPort = Port };
        Processor = new RequestProcessor(Table, options.RelaxedCommandCheck, logger);
        // Like the kernel numbers epmd's sockets: 0-2 are stdio, then one per listening socket.
        _fds = new FdNumbers(3 + listeners.Count);
        var sweep = TimeSpan.FromTicks(Math.Clamp(options.RequestTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 20, TimeSpan.TicksPerSecond));
        _sweeper = new Timer(_ => CloseTimedOut(), null, sweep, sweep);
    }

    /// <summary>The port the daemon listens on (the free port chosen when the options said 0).</summary>
    public int Port { get; }

    /// <summary>Every address and port it listens on.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints { get; }

    /// <summary>Completes when the daemon has stopped: disposed, or told to by an allowed KILL_REQ.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Open connections, registrations included.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    internal ILogger Logger { get; }

    internal NodeTable Table { get; }

    internal RequestProcessor Processor { get; }

    /// <summary>The names registered now, newest first (as NAMES lists them).</summary>
    public IReadOnlyList<EpmdName> GetNames() => Table.Names();

    /// <summary>
    /// Binds the listeners and starts serving. Throws <see cref="EpmdException"/> with
    /// <see cref="EpmdErrorReason.AddressInUse"/> when something (another epmd) holds the port.
    /// </summary>
    public static Task<EpmdDaemon> StartAsync(EpmdDaemonOptions options, ILogger? logger = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ct.ThrowIfCancellationRequested();
        logger ??= NullLogger.Instance;
        var listeners = DaemonListeners.Bind(options, logger);
        var daemon = new EpmdDaemon(options, listeners, logger);
        daemon.StartAccepting();
        EpmdLog.Listening(logger, daemon.Port, string.Join(", ", daemon.EndPoints));
        return Task.FromResult(daemon);
    }

    // Dedicated threads in blocking accept(): with TCP_DEFER_ACCEPT a connection is handed over
    // with its request, and the thread answers it before accepting the next.
    private void StartAccepting()
    {
        var threads = new List<Thread>();
        foreach (var listener in _listeners)
        {
            for (var i = 0; i < _options.AcceptLoops; i++)
            {
                var thread = new Thread(() => AcceptLoop(listener)) { IsBackground = true, Name = $"epmd accept {Port}" };
                thread.Start();
                threads.Add(thread);
            }
        }

        _acceptThreads = threads;
    }

    private void AcceptLoop(Socket listener)
    {
        try
        {
            if (OperatingSystem.IsLinux() && !_options.PortableAcceptLoop)
                NativeAcceptLoop.Run(listener, this);
            else
                SocketAcceptLoop.Run(listener, this);
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            // A bug must not silently stop the daemon from accepting: say so loudly.
            EpmdLog.ServeFailed(Logger, ex);
            throw;
        }
    }

    internal bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>Counts a new connection in, or refuses it (logged) when the limit is reached.</summary>
    internal bool TryAdmit(out int number)
    {
        if (Interlocked.Increment(ref _connectionCount) > _options.MaxConnections)
        {
            Interlocked.Decrement(ref _connectionCount);
            EpmdLog.TooManyConnections(Logger, _options.MaxConnections);
            EpmdMetrics.DaemonRejected.Add(1, new KeyValuePair<string, object?>("reason", "max_connections"));
            number = 0;
            return false;
        }

        EpmdMetrics.DaemonConnections.Add(1);
        number = _fds.Take();
        return true;
    }

    /// <summary>Undoes <see cref="TryAdmit"/>.</summary>
    internal void ReleaseSlot(int number)
    {
        _fds.Return(number);
        Interlocked.Decrement(ref _connectionCount);
        EpmdMetrics.DaemonConnections.Add(-1);
    }

    /// <summary>A connection that continues asynchronously: subject to the request timeout and to shutdown.</summary>
    internal void Track(DaemonConnection connection)
    {
        _connections.TryAdd(connection, 0);
        if (_stopping.IsCancellationRequested)
            connection.Abort();
    }

    internal void Unregister(DaemonConnection connection)
    {
        var node = Table.UnregisterOwner(connection);
        if (node is not null)
        {
            EpmdLog.NodeUnregistered(Logger, NodeTable.Show(node.Name), node.Creation, node.Port);
            EpmdMetrics.DaemonRegistrations.Add(-1);
        }
    }

    internal void Release(DaemonConnection connection)
    {
        if (!connection.TryMarkReleased())
            return;
        _connections.TryRemove(connection, out _);
        ReleaseSlot(connection.Fd);
    }

    internal void Kill()
    {
        EpmdLog.Killed(Logger);
        _ = Task.Run(StopAsync);
    }

    private void CloseTimedOut()
    {
        var limit = (long)_options.RequestTimeout.TotalMilliseconds;
        var now = Environment.TickCount64;
        foreach (var connection in _connections.Keys)
        {
            if (!connection.IsRegistration && now - connection.AcceptedAt > limit)
            {
                EpmdLog.TimedOut(Logger, connection.Fd);
                EpmdMetrics.DaemonRejected.Add(1, new KeyValuePair<string, object?>("reason", "timeout"));
                connection.Abort();
            }
        }
    }

    private async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            await _completion.Task.ConfigureAwait(false);
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var listener in _listeners)
        {
            // shutdown() wakes threads blocked in accept() (close alone does not on Linux).
            try
            {
                listener.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }

            listener.Dispose();
        }

        await _sweeper.DisposeAsync().ConfigureAwait(false);
        foreach (var thread in _acceptThreads)
            await Task.Run(() => thread.Join(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        foreach (var connection in _connections.Keys)
            connection.Abort();
        _completion.TrySetResult();
    }

    /// <summary>Stops listening and closes every connection (registered nodes lose their names).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    public override string ToString() => $"epmd on port {Port} ({Table.Count} names)";
}
