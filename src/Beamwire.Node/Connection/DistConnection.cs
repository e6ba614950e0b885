using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using Beamwire.Node.Control;
using Beamwire.Node.Diagnostics;
using Beamwire.Node.Handshake;
using Beamwire.Terms;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Connection;

/// <summary>Writes a control tuple (without version byte) for one frame.</summary>
internal delegate void ControlWriter<TState>(OutboundBuffer buffer, in TState state);

/// <summary>What a connection reports to the node that owns it.</summary>
internal interface IConnectionOwner
{
    IControlHandler Handler { get; }

    DistMetrics Metrics { get; }

    void OnClosed(DistConnection connection, string reason);
}

/// <summary>
/// One established distribution connection to a peer. A <see cref="SocketReader"/> thread cuts whole frames
/// out of the socket and this class decodes each into its control message for the node; an
/// <see cref="OutboundQueue"/> batches frames and writes each burst with one socket send. Ticks keep the
/// connection alive and detect a silent peer.
/// </summary>
internal sealed class DistConnection : IDisposable, IFrameSink
{
    private readonly Socket _socket;
    private readonly PipeReader _handshakeInput;
    private readonly SocketReader _reader;
    private readonly OutboundQueue _out;
    private readonly FrameDecoder _decoder;
    private readonly IConnectionOwner _owner;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _down = new();
    private readonly FrameEncoder _frames;
    private readonly bool _sendSender;
    private readonly int _maxFrame;
    private string? _closeReason;
    private long _lastTickRead = -1;
    private long _lastTickWritten = -1;
    private int _silentTicks;
    private int _unhandledLogged;

    public DistConnection(Socket socket, PipeReader input, HandshakeResult handshake, ConnectionSettings settings, IConnectionOwner owner, ILogger logger)
    {
        _socket = socket;
        _handshakeInput = input;
        _owner = owner;
        _logger = logger;
        Handshake = handshake;
        Peer = handshake.Peer;
        PeerAtom = ErlangAtom.Get(handshake.Peer.Full);
        _frames = new FrameEncoder(distributionHeader: (handshake.Flags & DistributionFlags.DistHdrAtomCache) != 0);

        _sendSender = (handshake.Flags & DistributionFlags.SendSender) != 0;
        _maxFrame = settings.MaxMessageSize;
        _out = new OutboundQueue(settings.SendQueueLimit);
        _out.BecameBusy += () => owner.Metrics.Busy(Peer.Full);
        _decoder = new FrameDecoder(settings.DecoderOptions, settings.MaxMessageSize, settings.MaxFragmentSequences);
        _reader = new SocketReader(socket, this, settings.MaxMessageSize, settings.ReceiveCoalescingMicros, handshake.Peer.Alive);
    }

    public NodeName Peer { get; }

    public ILogger Logger => _logger;

    public ErlangAtom PeerAtom { get; }

    public HandshakeResult Handshake { get; }

    public DistributionFlags Flags => Handshake.Flags;

    public bool IsPublished => Handshake.IsPublished;

    public uint PeerCreation => Handshake.PeerCreation;

    public bool IsBusy => _out.IsBusy;

    /// <summary>Bytes queued for the peer and not yet written to the socket.</summary>
    public long QueuedBytes => _out.QueuedBytes;

    public bool IsClosed => _closed.Task.IsCompleted || _out.IsClosed;

    /// <summary>Completes with the close reason when the connection has gone down.</summary>
    public Task<string> Closed => _closed.Task;

    /// <summary>
    /// Cancelled when the connection has gone down, before the node hears of it. Calls waiting on this peer
    /// link to it: one registration per call in the peer's own list, instead of a handler per call on the
    /// node's NodeDown event that every nodedown would run.
    /// </summary>
    public CancellationToken Down => _down.Token;

    public DateTimeOffset Established { get; } = DateTimeOffset.UtcNow;

    /// <summary>Messages received in fragments and reassembled (read-loop counter, for diagnostics).</summary>
    public long ReassembledMessages => _decoder.ReassembledMessages;

    /// <summary>How often a process ran so long on the reader thread that reading moved to a new thread (diagnostics).</summary>
    public int ReaderTakeOvers => _reader.TakeOvers;

    /// <summary>Frames read, socket reads that returned bytes, and how many of those followed a pause (<see cref="BeamNodeOptions.ReceiveCoalescing"/>; diagnostics).</summary>
    public (long Frames, long Reads, long Pauses) ReceiveReads => (_reader.Frames, _reader.Reads, _reader.Pauses);

    /// <summary>Atom cache entries the peer has filled (read-loop counter, for diagnostics).</summary>
    public long AtomCacheEntries => _decoder.AtomCacheEntries;

    /// <summary>Starts the read and write loops.</summary>
    public void Start() => _ = RunAsync();

    private async Task RunAsync()
    {
        _out.Start(_socket, Peer.Alive);
        _reader.Start(_handshakeInput);
        var writer = _out.Completion;
        var reader = _reader.Completion;
        var first = await Task.WhenAny(writer, reader).ConfigureAwait(false);
        if (first == writer)
        {
            Close(WriterEndReason(writer.Exception?.GetBaseException()));
        }
        else
        {
            var why = await reader.ConfigureAwait(false);
            if (_reader.ProtocolError is { } error) ConnectionLog.ProtocolError(_logger, Peer.Full, error.Message);
            Close(why);
        }

        try
        {
            await Task.WhenAll(writer, reader).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The threads end with these when the socket goes away; the reason is already recorded.
        }

        _out.Dispose();
        lock (_out.Gate) _frames.Dispose();
        _decoder.Dispose();
        var final = _closeReason ?? "connection_closed";
        _closed.TrySetResult(final);
        _down.Cancel();
        _owner.OnClosed(this, final);
    }

    /// <summary>
    /// Why the connection ends when the writer thread ended first. A send refused because the peer is gone
    /// (reset, broken pipe) is Erlang's <c>connection_closed</c>, the same reason the reader gives when it
    /// sees the end of the stream first: which of the two threads notices a killed peer is a race.
    /// </summary>
    internal static string WriterEndReason(Exception? error) => error switch
    {
        null => "connection_closed",
        SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.NotConnected } => "connection_closed",
        ObjectDisposedException => "connection_closed",
        _ => $"send failed: {error.Message}",
    };

    void IFrameSink.OnReceived(int frames)
    {
        if (frames > 0) _owner.Metrics.FramesReceived(frames);
    }

    void IFrameSink.OnFrame(ReadOnlySpan<byte> frame)
    {
        _out.PeerSpoke(); // before dispatching: a reply sent while this frame is handled is a conversation's turn
        Dispatch(frame);
    }

    void IFrameSink.OnProcessFailed(Exception exception) => ConnectionLog.HandlerFailed(_logger, exception, "process run", Peer.Full);

    long IFrameSink.BytesSent => _out.BytesCommitted;

    private void Dispatch(ReadOnlySpan<byte> frame)
    {
        if (!_decoder.TryDecode(frame, out var controlTerm, out var payload)) return;
        var control = ControlDecoder.Decode(controlTerm, payload);
        _owner.Metrics.MessageReceived();
        try
        {
            _owner.Handler.Handle(this, control, payload);
        }
        catch (DistributionProtocolException)
        {
            throw;
        }
#pragma warning disable CA1031 // A fault in one handler must not take the connection down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ConnectionLog.HandlerFailed(_logger, ex, control.Name, Peer.Full);
        }
    }

    /// <summary>Logs an unhandled control kind: the first of each kind per connection at Information, later ones at Debug.</summary>
    public void LogUnhandled(ControlMessage control, string why)
    {
        var bit = 1 << ((int)control.Op & 31);
        var first = (Interlocked.Or(ref _unhandledLogged, bit) & bit) == 0;
        _owner.Metrics.Unhandled(control.Name);
        if (first) ConnectionLog.UnhandledFirst(_logger, control.Name, Peer.Full, why, control);
        else ConnectionLog.Unhandled(_logger, control.Name, Peer.Full, control);
    }

    // ---- sending -------------------------------------------------------------------------------

    /// <summary>Queues one frame: the control tuple from <paramref name="control"/>, then <paramref name="payload"/> if any.</summary>
    public bool Enqueue<TState>(in TState state, ControlWriter<TState> control, ErlangTerm? payload)
    {
        OutboundBuffer? batch;
        lock (_out.Gate)
        {
            if (_out.IsClosed) return false;
            var buf = _out.Buffer;
            var start = buf.Length;
            _frames.Write(buf, state, control, payload);
            batch = _out.Commit(buf.Length - start);
        }

        if (batch is not null) _out.WriteInline(batch);
        _owner.Metrics.MessageSent();
        return true;
    }

    /// <summary>Waits while the send queue is over its limit (busy_dist_port).</summary>
    public Task WaitForCapacityAsync(CancellationToken cancellationToken) => _out.WaitForCapacityAsync(cancellationToken);

    public bool SendToPid(ErlangPid from, ErlangPid to, ErlangTerm message) =>
        Enqueue(new PidSend(from, to, _sendSender), static (OutboundBuffer b, in PidSend s) => SendControl.Encode(b, s.From, s.To, s.SendSender), message);

    public bool SendToName(ErlangPid from, ErlangAtom name, ErlangTerm message) =>
        Enqueue((from, name), static (OutboundBuffer b, in (ErlangPid From, ErlangAtom Name) s) => RegSendControl.Encode(b, s.From, s.Name), message);

    public bool SendToAlias(ErlangPid from, ErlangReference alias, ErlangTerm message) =>
        Enqueue((from, alias), static (OutboundBuffer b, in (ErlangPid From, ErlangReference Alias) s) => AliasSendControl.Encode(b, s.From, s.Alias), message);

    public bool SendUnlinkIdAck(ulong id, ErlangPid from, ErlangPid to) =>
        Enqueue((id, from, to), static (OutboundBuffer b, in (ulong Id, ErlangPid From, ErlangPid To) s) => UnlinkIdControl.EncodeAck(b, s.Id, s.From, s.To), null);

    private readonly record struct PidSend(ErlangPid From, ErlangPid To, bool SendSender);

    // ---- ticks ---------------------------------------------------------------------------------

    /// <summary>
    /// One tick interval (net_ticktime / intensity) passed. Sends a tick if nothing was written since the
    /// last one; returns false when nothing was read for <paramref name="intensity"/> intervals in a row,
    /// i.e. the peer has been silent for the tick time (dist_util:send_tick).
    /// </summary>
    public bool OnTickInterval(int intensity)
    {
        var read = _reader.Reads;
        if (read != _lastTickRead)
        {
            _lastTickRead = read;
            _silentTicks = 0;
        }
        else if (++_silentTicks >= intensity)
        {
            return false;
        }

        var written = _out.BytesWritten;
        if (written == _lastTickWritten && _out.QueuedBytes == 0) SendTick();
        _lastTickWritten = _out.BytesWritten;
        return true;
    }

    private void SendTick()
    {
        OutboundBuffer? batch;
        lock (_out.Gate)
        {
            if (_out.IsClosed) return;
            var buf = _out.Buffer;
            buf.GetSpan(4).Slice(0, 4).Clear();
            buf.Advance(4);
            batch = _out.Commit(4);
        }

        if (batch is not null) _out.WriteInline(batch);
    }

    // ---- closing -------------------------------------------------------------------------------

    /// <summary>Closes the connection (idempotent); the node sees it go down with <paramref name="reason"/>.</summary>
    public void Close(string reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null) return;
        _out.Close();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        _socket.Dispose();
    }

    /// <summary>Closes the connection; its threads release the buffers as they end.</summary>
    public void Dispose() => Close("disposed");

    public override string ToString() => $"connection to {Peer} ({(IsPublished ? "visible" : "hidden")})";
}
