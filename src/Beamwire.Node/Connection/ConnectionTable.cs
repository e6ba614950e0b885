using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Beamwire.Node.Diagnostics;
using Beamwire.Node.Handshake;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Connection;

/// <summary>What the table tells the node about connections coming and going.</summary>
internal interface INodeEvents
{
    void OnNodeUp(DistConnection connection);

    void OnNodeDown(DistConnection connection, string reason);
}

/// <summary>
/// The node's connections, one per peer (net_kernel's sys_dist table): outgoing attempts, accepted
/// handshakes, the simultaneous-connect tie-break, the <c>alive</c> replacement of a stale connection,
/// and messages queued while a connection is being set up. Every state change happens under one lock;
/// events are raised outside it. Looking up a peer's live connection (every remote send does) takes no
/// lock: the entries are a concurrent map written only under the lock, and an entry publishes its
/// connection once messages queued while connecting have gone out.
/// </summary>
internal sealed class ConnectionTable : IHandshakeArbiter, IDisposable
{
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<NodeName, Entry> _entries = new();
    private readonly HashSet<NodeName> _known = new();
    private readonly NodeName _self;
    private readonly Func<HandshakeSettings> _settings;
    private readonly ConnectionSettings _connectionSettings;
    private readonly Func<NodeName, CancellationToken, ValueTask<int?>> _resolvePort;
    private readonly IConnectionOwner _owner;
    private readonly INodeEvents _events;
    private readonly DistMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private bool _disposed;

    public ConnectionTable(
        NodeName self,
        Func<HandshakeSettings> settings,
        ConnectionSettings connectionSettings,
        Func<NodeName, CancellationToken, ValueTask<int?>> resolvePort,
        IConnectionOwner owner,
        INodeEvents events,
        ILogger logger)
    {
        _self = self;
        _settings = settings;
        _connectionSettings = connectionSettings;
        _resolvePort = resolvePort;
        _owner = owner;
        _events = events;
        _metrics = owner.Metrics;
        _logger = logger;
    }

    private enum State
    {
        Pending,
        Up,
        UpPending,
    }

    private sealed class Entry(NodeName node)
    {
        public NodeName Node { get; } = node;
        public State State { get; set; } = State.Pending;
        public object? Attempt { get; set; }
        public CancellationTokenSource? AttemptCancel { get; set; }
        public object? ReplacingAttempt { get; set; }
        public DistConnection? Connection { get; set; }

        /// <summary>The connection senders may use without the lock: set once it is up and its queue flushed, cleared when it goes.</summary>
        public volatile DistConnection? Live;
        public TaskCompletionSource<bool> Waiters { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<Action<DistConnection>>? Queued { get; set; }
    }

    // ---- queries -------------------------------------------------------------------------------

    /// <summary>The live connection to <paramref name="node"/>, or null; lock-free.</summary>
    public DistConnection? Get(NodeName node) => _entries.TryGetValue(node, out var e) ? e.Live : null;

    public IReadOnlyList<DistConnection> Connections
    {
        get
        {
            lock (_gate) return _entries.Values.Where(e => e.Connection is not null && e.State != State.Pending).Select(e => e.Connection!).ToList();
        }
    }

    public IReadOnlyList<NodeName> Known
    {
        get
        {
            lock (_gate) return _known.ToList();
        }
    }

    // ---- connecting ----------------------------------------------------------------------------

    /// <summary>Connects to <paramref name="node"/> unless connected; true when a connection is up.</summary>
    public Task<bool> ConnectAsync(NodeName node)
    {
        if (node == _self) return Task.FromResult(true);
        lock (_gate)
        {
            if (_disposed) return Task.FromResult(false);
            if (_entries.TryGetValue(node, out var e))
                return e.State == State.Pending ? e.Waiters.Task : Task.FromResult(true);
            e = StartOutgoing(node);
            return e.Waiters.Task;
        }
    }

    /// <summary>Messages kept per connection being set up before senders have to wait (the pending queue's busy limit).</summary>
    public const int MaxQueuedWhileConnecting = 8192;

    /// <summary>
    /// Runs <paramref name="send"/> on the peer's connection: now if it is up, else once it comes up
    /// (starting a connection as Erlang's auto-connect does). Dropped if the connection fails, as a
    /// message to an unreachable node is in Erlang. When <see cref="MaxQueuedWhileConnecting"/>
    /// messages already wait (and <paramref name="force"/> is not set), nothing is queued and the
    /// returned task completes when the connection is up or has failed: wait for it, then retry.
    /// </summary>
    public Task? Route(NodeName node, Action<DistConnection> send, bool force = false)
    {
        var up = Get(node);
        if (up is not null)
        {
            send(up);
            return null;
        }

        lock (_gate)
        {
            if (_disposed) return null;
            if (!_entries.TryGetValue(node, out var e)) e = StartOutgoing(node);
            if (e.State == State.Pending)
            {
                var queued = e.Queued ??= [];
                if (!force && queued.Count >= MaxQueuedWhileConnecting) return e.Waiters.Task;
                queued.Add(send);
                return null;
            }

            up = e.Connection;
        }

        if (up is not null) send(up);
        return null;
    }

    private Entry StartOutgoing(NodeName node)
    {
        var e = new Entry(node);
        var attempt = new object();
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        e.Attempt = attempt;
        e.AttemptCancel = cts;
        _entries[node] = e;
        // Connect and handshake block (see BlockingSocketStream): a thread of their own, never a pool thread.
        StartThread("bw connect", () => RunOutgoing(node, attempt, cts));
        return e;
    }

    private void StartThread(string name, Action run) =>
        new Thread(static s =>
        {
            var (table, action) = ((ConnectionTable, Action))s!;
            try
            {
                action();
            }
#pragma warning disable CA1031 // A defect in one connection attempt ends that attempt, never the OS process.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ConnectionLog.ConnectFailed(table._logger, "?", "internal error: " + ex.Message);
            }
        })
        { IsBackground = true, Name = name }.UnsafeStart((this, run));

    private void RunOutgoing(NodeName node, object attempt, CancellationTokenSource cts)
    {
        var settings = _settings();
        Socket? socket = null;
        try
        {
            if (!node.IsAllowedIn(settings.NameMode, out var modeError))
                throw new HandshakeException(modeError);
            var port = _resolvePort(node, cts.Token).AsTask().GetAwaiter().GetResult()
                ?? throw new HandshakeException($"{node.Alive} is not registered with epmd on {node.Host}.");
            socket = ConnectSocket(node.Host, port, settings.Timeout, cts.Token);
            var stream = new BlockingSocketStream(socket);
            var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
            var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
            var result = new HandshakeInitiator(settings, this, _logger)
                .RunAsync(new DuplexPipe(reader, writer), node, attempt, cts.Token).GetAwaiter().GetResult();
            writer.Complete();
            _metrics.Handshake(true, "ok");
            if (!Established(result, attempt, socket, reader)) socket.Dispose();
        }
        catch (HandshakeException ex) when (ex.Status == HandshakeStatus.Nok)
        {
            // The peer is connecting to us and wins the tie-break: its incoming connection takes this
            // slot over (ok_simultaneous on our side). Give it the handshake timeout to arrive.
            socket?.Dispose();
            _metrics.Handshake(true, "nok");
            _shutdown.Token.WaitHandle.WaitOne(settings.Timeout);
            Fail(node, attempt, "simultaneous connect: the peer's own attempt did not arrive");
        }
        catch (Exception ex) when (ex is HandshakeException or SocketException or IOException or OperationCanceledException or ObjectDisposedException or Epmd.EpmdException)
        {
            socket?.Dispose();
            var reason = ex is OperationCanceledException or ObjectDisposedException ? "cancelled (superseded by the peer's connection or shutdown)" : ex.Message;
            _metrics.Handshake(true, ex is HandshakeException { IsCookieMismatch: true } ? "bad_cookie" : "failed");
            Fail(node, attempt, reason);
        }
#pragma warning disable CA1031 // A defect must still fail the attempt, or its waiters would wait for ever.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            socket?.Dispose();
            _metrics.Handshake(true, "failed");
            Fail(node, attempt, "internal error: " + ex.Message);
        }
        finally
        {
            cts.Dispose();
        }
    }

    /// <summary>
    /// Connects a blocking socket (never touched by .NET's async socket operations, see <see cref="OutboundQueue"/>);
    /// the timeout and cancellation end a connect in progress by disposing the socket.
    /// </summary>
    private static Socket ConnectSocket(string host, int port, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var addresses = IPAddress.TryParse(host, out var ip) ? [ip] : Dns.GetHostAddressesAsync(host, limit.Token).GetAwaiter().GetResult();
        SocketException? last = null;
        foreach (var address in addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1))
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                // Disposing the socket ends a blocked connect (the runtime dissolves the association first).
                using (limit.Token.UnsafeRegister(static s => ((Socket)s!).Dispose(), socket))
                {
                    try
                    {
                        socket.Connect(new IPEndPoint(address, port));
                    }
                    catch (Exception ex) when (ex is SocketException or ObjectDisposedException && limit.Token.IsCancellationRequested)
                    {
                        throw new OperationCanceledException(limit.Token);
                    }
                }

                limit.Token.ThrowIfCancellationRequested();
                return socket;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private void Fail(NodeName node, object attempt, string reason)
    {
        TaskCompletionSource<bool>? waiters = null;
        lock (_gate)
        {
            if (_entries.TryGetValue(node, out var e) && e.State == State.Pending && ReferenceEquals(e.Attempt, attempt))
            {
                _entries.TryRemove(node, out _);
                waiters = e.Waiters;
            }
        }

        if (waiters is null) return; // another attempt owns the slot now
        ConnectionLog.ConnectFailed(_logger, node.Full, reason);
        waiters.TrySetResult(false);
    }

    // ---- accepting -----------------------------------------------------------------------------

    /// <summary>Handshakes in progress on incoming sockets beyond which new ones are closed at once (nobody is authenticated yet).</summary>
    public const int MaxPendingAccepts = 128;

    private int _pendingAccepts;

    /// <summary>Runs the acceptor handshake on a new incoming socket, on a thread of its own (the socket calls block).</summary>
    public void Accept(Socket socket)
    {
        if (Interlocked.Increment(ref _pendingAccepts) > MaxPendingAccepts)
        {
            Refuse(socket, $"more than {MaxPendingAccepts} handshakes in progress");
            return;
        }

        try
        {
            StartThread("bw accept", () => RunAccept(socket));
        }
        catch (OutOfMemoryException ex)
        {
            Refuse(socket, ex.Message); // no thread for it
        }
    }

    private void Refuse(Socket socket, string why)
    {
        Interlocked.Decrement(ref _pendingAccepts);
        ConnectionLog.AcceptFailed(_logger, socket.RemoteEndPoint?.ToString() ?? "?", why);
        socket.Dispose();
    }

    private void RunAccept(Socket socket)
    {
        try
        {
            AcceptHandshake(socket);
        }
        finally
        {
            Interlocked.Decrement(ref _pendingAccepts);
        }
    }

    private void AcceptHandshake(Socket socket)
    {
        var attempt = new object();
        var remote = socket.RemoteEndPoint?.ToString() ?? "?";
        HandshakeResult? result = null; // once set, the slot for the peer is ours: released if we fail after all
        PipeReader reader;
        try
        {
            socket.NoDelay = true;
            socket.Blocking = true;
            var stream = new BlockingSocketStream(socket);
            reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
            var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
            result = new HandshakeAcceptor(_settings(), this, _logger)
                .RunAsync(new DuplexPipe(reader, writer), attempt, _shutdown.Token).GetAwaiter().GetResult();
            writer.Complete();
        }
        catch (Exception ex) when (ex is HandshakeException or SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            _metrics.Handshake(false, ex is HandshakeException { IsCookieMismatch: true } ? "bad_cookie" : "failed");
            if (ex is HandshakeException { Status: HandshakeStatus.Nok }) ConnectionLog.ConnectFailed(_logger, remote, ex.Message);
            else ConnectionLog.AcceptFailed(_logger, remote, ex.Message);
            AbandonAccept(socket, result, attempt);
            return;
        }
#pragma warning disable CA1031 // A defect met by one incoming handshake ends that handshake (and frees its socket), never the OS process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _metrics.Handshake(false, "failed");
            ConnectionLog.AcceptFailed(_logger, remote, "internal error: " + ex.Message);
            AbandonAccept(socket, result, attempt);
            return;
        }

        // Outside the handshake's catches: once the connection is up, a failure is no longer the handshake's.
        _metrics.Handshake(false, "ok");
        if (!Established(result, attempt, socket, reader)) socket.Dispose();
    }

    /// <summary>An incoming handshake failed: frees the socket and, if the acceptor had handed us the peer's slot, the slot.</summary>
    private void AbandonAccept(Socket socket, HandshakeResult? result, object attempt)
    {
        socket.Dispose();
        if (result is not null) Release(result.Peer, attempt);
    }

    // ---- IHandshakeArbiter ---------------------------------------------------------------------

    public AcceptClaim ClaimForAccept(NodeName peer, object attempt)
    {
        CancellationTokenSource? cancelOurs = null;
        try
        {
            lock (_gate)
            {
                if (_disposed) return AcceptClaim.AlreadyPending;
                if (!_entries.TryGetValue(peer, out var e))
                {
                    _entries[peer] = new Entry(peer) { Attempt = attempt };
                    return AcceptClaim.Ok;
                }

                switch (e.State)
                {
                    case State.Pending:
                        // Simultaneous connect: the node with the greater name keeps its own attempt.
                        if (_self > peer) return AcceptClaim.Nok;
                        cancelOurs = e.AttemptCancel;
                        e.Attempt = attempt;
                        e.AttemptCancel = null;
                        return AcceptClaim.OkSimultaneous;
                    case State.Up:
                        e.State = State.UpPending;
                        e.ReplacingAttempt = attempt;
                        return AcceptClaim.Alive;
                    default:
                        return AcceptClaim.AlreadyPending;
                }
            }
        }
        finally
        {
            cancelOurs?.Cancel();
        }
    }

    public bool IsPending(NodeName peer, object attempt)
    {
        lock (_gate) return _entries.TryGetValue(peer, out var e) && e.State == State.Pending && ReferenceEquals(e.Attempt, attempt);
    }

    public async ValueTask ReplaceLiveConnectionAsync(NodeName peer, object attempt, CancellationToken cancellationToken)
    {
        DistConnection? old;
        lock (_gate)
        {
            if (!_entries.TryGetValue(peer, out var e) || e.State != State.UpPending || !ReferenceEquals(e.ReplacingAttempt, attempt))
                throw new HandshakeException($"The live connection to {peer} changed while a new one was being accepted.");
            old = e.Connection;
        }

        if (old is null) return;
        old.Close("replaced by a new connection from the same node");
        await old.Closed.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Release(NodeName peer, object attempt)
    {
        TaskCompletionSource<bool>? waiters = null;
        lock (_gate)
        {
            if (!_entries.TryGetValue(peer, out var e)) return;
            if (e.State == State.Pending && ReferenceEquals(e.Attempt, attempt))
            {
                _entries.TryRemove(peer, out _);
                waiters = e.Waiters;
            }
            else if (e.State == State.UpPending && ReferenceEquals(e.ReplacingAttempt, attempt))
            {
                e.State = State.Up;
                e.ReplacingAttempt = null;
            }
        }

        waiters?.TrySetResult(false);
    }

    // ---- up and down ---------------------------------------------------------------------------

    private bool Established(HandshakeResult result, object attempt, Socket socket, PipeReader reader)
    {
        DistConnection connection;
        TaskCompletionSource<bool> waiters;
        lock (_gate)
        {
            if (_disposed || !_entries.TryGetValue(result.Peer, out var e) || e.State != State.Pending || !ReferenceEquals(e.Attempt, attempt))
                return false;
            connection = new DistConnection(socket, reader, result, _connectionSettings, _owner, _logger);
            e.State = State.Up;
            e.Connection = connection;
            e.Attempt = null;
            e.AttemptCancel = null;
            waiters = e.Waiters;
            _known.Add(result.Peer);

            // Messages sent while connecting go out first, before any sender can see the entry up:
            // queuing them here, under the table lock, keeps each sender's order.
            if (e.Queued is { } queued)
            {
                e.Queued = null;
                foreach (var send in queued) send(connection);
            }

            e.Live = connection; // from here on senders skip the lock
        }

        connection.Start();
        _metrics.ConnectionUp();
        ConnectionLog.NodeUp(_logger, result.Peer.Full, result.IsPublished ? "visible" : "hidden", (ulong)result.Flags);
        waiters.TrySetResult(true);
        _events.OnNodeUp(connection);
        return true;
    }

    /// <summary>Called by a connection when it has gone down.</summary>
    public void OnClosed(DistConnection connection, string reason)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(connection.Peer, out var e) || !ReferenceEquals(e.Connection, connection)) return;
            e.Live = null;
            if (e.State == State.UpPending)
            {
                // A new connection from the same node is replacing this one: the slot goes to it.
                e.State = State.Pending;
                e.Attempt = e.ReplacingAttempt;
                e.ReplacingAttempt = null;
                e.Connection = null;
                e.Waiters = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else
            {
                _entries.TryRemove(connection.Peer, out _);
            }
        }

        _metrics.ConnectionDown(reason);
        ConnectionLog.NodeDown(_logger, connection.Peer.Full, reason);
        _events.OnNodeDown(connection, reason);
    }

    /// <summary>erlang:disconnect_node/1: true when a connection (or attempt) was there to drop.</summary>
    public bool Disconnect(NodeName node)
    {
        DistConnection? conn = null;
        CancellationTokenSource? attempt = null;
        lock (_gate)
        {
            if (!_entries.TryGetValue(node, out var e)) return false;
            if (e.State == State.Pending) attempt = e.AttemptCancel;
            else conn = e.Connection;
        }

        attempt?.Cancel();
        conn?.Close("disconnect");
        return conn is not null || attempt is not null;
    }

    public void Dispose()
    {
        List<DistConnection> conns;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            conns = _entries.Values.Where(e => e.Connection is not null).Select(e => e.Connection!).ToList();
        }

        _shutdown.Cancel();
        foreach (var c in conns) c.Close("node stopped");
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
