using System.Diagnostics;
using System.Net.Sockets;

namespace Beamwire.Node.Connection;

/// <summary>
/// A connection's send side: senders encode frames into the current buffer under <see cref="Gate"/> (so
/// frames keep their order); whatever was queued since the last write goes out in one blocking socket send.
/// A lone message is written at once on its sender's thread (no thread hop: round-trip latency); in a
/// burst the connection's writer thread takes over, so senders keep filling the buffer and each burst
/// costs few sends. The queue is bounded: above the high watermark the connection is busy (Erlang's
/// busy_dist_port) and senders wait until it has drained below the low watermark.
/// </summary>
/// <remarks>
/// The socket is used only with blocking calls, never with .NET's async socket operations: once a socket
/// has had one of those, the runtime's epoll thread sees every packet and hands it to the thread pool,
/// one extra wake-up per message whether or not anybody waits (see <see cref="SocketReader"/>).
/// </remarks>
internal sealed class OutboundQueue : IDisposable
{
    // A message that follows a write within this window is part of a burst: the writer thread sends it,
    // batched with those that follow, instead of its sender (unless the peer spoke meanwhile: see Commit).
    private static readonly long BurstWindow = Stopwatch.Frequency / 50_000; // 20 µs

    private readonly long _high;
    private readonly long _low;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Socket? _socket;
    private OutboundBuffer _current = new();
    private OutboundBuffer _spare = new();
    private long _queued;
    private long _lastWriteEnd;
    private bool _writing;       // a send is in progress (writer thread or a sender); only under Gate
    private bool _threadWaiting; // the writer thread waits for _wake (set under Gate)

    // A short busy spin before it blocks (20 rounds: a few µs, no sched_yield) picks up the next burst of a
    // windowed exchange without a futex wake-up: 0 rounds cut windowed ping-pong to a third. SemaphoreSlim
    // spun ~140 rounds of sched_yield per wait, which on two cores took a third of a core from the readers.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 20);
    private bool _closed;
    private OutboundBuffer? _handOff; // a sender's batch the kernel did not take at once, for the writer thread
    private int _handOffSent;         // ... and how much of it it did take
    private TaskCompletionSource? _capacity;
    private long _bytesWritten;
    private long _committed;
    private volatile bool _peerSpoke; // frames arrived from the peer since our last write began

    public OutboundQueue(long highWatermark)
    {
        _high = Math.Max(highWatermark, 1024);
        _low = _high / 2;
    }

    /// <summary>Held while encoding a frame into <see cref="Buffer"/>.</summary>
    public object Gate { get; } = new();

    /// <summary>The buffer to encode into; only under <see cref="Gate"/>.</summary>
    public OutboundBuffer Buffer => _current;

    public bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>Bytes queued or being written.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queued);

    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>The reader handed out frames from the peer (see <see cref="Commit"/>).</summary>
    public void PeerSpoke()
    {
        if (!_peerSpoke) _peerSpoke = true;
    }

    /// <summary>Bytes ever queued (monotonic): a reader tells from it whether anything was sent meanwhile.</summary>
    public long BytesCommitted => Volatile.Read(ref _committed);

    public bool IsBusy => Interlocked.Read(ref _queued) >= _high;

    /// <summary>Completes when the writer thread has ended (faulted when a send failed).</summary>
    public Task Completion => _done.Task;

    public event Action? BecameBusy;

    /// <summary>Starts the writer thread (a send that fails, on it or on a sender's thread, ends it: see <see cref="Completion"/>).</summary>
    public void Start(Socket socket, string peer)
    {
        _socket = socket;
        new Thread(static s => ((OutboundQueue)s!).WriterThread()) { IsBackground = true, Name = "bw send " + peer }.UnsafeStart(this);
    }

    /// <summary>
    /// Call under <see cref="Gate"/> after appending <paramref name="bytes"/> to <see cref="Buffer"/>. Returns
    /// the batch the caller must pass to <see cref="WriteInline"/> after leaving the lock (a lone message), or
    /// null when the writer thread has it (woken here if it was waiting) or a send in progress will take it.
    /// </summary>
    public OutboundBuffer? Commit(int bytes)
    {
        var before = _queued;
        Volatile.Write(ref _queued, before + bytes);
        Volatile.Write(ref _committed, _committed + bytes);
        if (before < _high && before + bytes >= _high) BecameBusy?.Invoke();
        if (_writing || _socket is null) return null;
        // A corked sender's frame waits for the release and leaves with the frames after it; never once the
        // queue is busy (the sender may then wait for room, which only the writer thread makes).
        if (_queued < _high && Cork.Holds(this)) return null;
        // A message right after a write is a burst's next one, for the writer thread to batch, unless the
        // peer spoke in between: then it is a turn in a conversation (a reply, the next request of a fast
        // round trip), and a wake-up of the writer thread would cost the round trip more than the send.
        if (_peerSpoke || Stopwatch.GetTimestamp() - _lastWriteEnd > BurstWindow)
        {
            return BeginWrite();
        }

        WakeWriterIfNeeded();
        return null;
    }

    /// <summary>
    /// A corked sender's frames are queued: writes them now, on this thread (or leaves them to a send in
    /// progress, which hands them to the writer thread when it ends).
    /// </summary>
    internal void Uncork()
    {
        OutboundBuffer? batch = null;
        lock (Gate)
        {
            if (!_writing && _socket is not null && _current.Length > 0)
            {
                batch = BeginWrite();
            }
            else
            {
                WakeWriterIfNeeded();
            }
        }

        if (batch is not null) WriteInline(batch);
    }

    /// <summary>
    /// Under <see cref="Gate"/>: wakes the waiting writer thread when there is something for it (frames and no send
    /// in progress, or the queue closed). Every change that could give it work calls this, so it never sleeps
    /// through its last chance to end.
    /// </summary>
    private void WakeWriterIfNeeded()
    {
        if (!_threadWaiting || !(_closed || _handOff is not null || (!_writing && _current.Length > 0))) return;
        _threadWaiting = false;
        _wake.Set();
    }

    /// <summary>
    /// Sends a batch <see cref="Commit"/> handed to a sender, on the sender's thread, without ever waiting:
    /// what the kernel does not take at once (a slow or stopped peer) goes to the writer thread.
    /// </summary>
    public void WriteInline(OutboundBuffer batch)
    {
        var sent = NonBlockingSend.TrySend(_socket!, batch.Bytes, batch.Length);
        lock (Gate)
        {
            if (sent == batch.Length)
            {
                // Anything queued meanwhile is the writer thread's: this sender is not kept writing others' messages.
                Written(batch);
            }
            else
            {
                _handOff = batch; // _writing stays set: the writer thread owns the send now
                _handOffSent = Math.Max(sent, 0);
            }

            WakeWriterIfNeeded();
        }
    }

    /// <summary>Under <see cref="Gate"/>: takes what is queued as the batch to write now (a write has begun).</summary>
    private OutboundBuffer BeginWrite()
    {
        _writing = true;
        _peerSpoke = false;
        return Swap();
    }

    private OutboundBuffer Swap()
    {
        var batch = _current;
        _current = _spare;
        _spare = batch;
        return batch;
    }

    private void Send(OutboundBuffer batch, int from)
    {
        var data = batch.Written.Span[from..];
        while (!data.IsEmpty)
        {
            var sent = _socket!.Send(data, SocketFlags.None);
            if (sent <= 0) throw new SocketException((int)SocketError.ConnectionReset);
            data = data[sent..];
        }
    }

    /// <summary>Under <see cref="Gate"/>: accounts for a finished send; true when more is queued.</summary>
    private bool Written(OutboundBuffer batch)
    {
        _writing = false;
        Interlocked.Add(ref _bytesWritten, batch.Length);
        _lastWriteEnd = Stopwatch.GetTimestamp();
        Volatile.Write(ref _queued, _queued - batch.Length);
        batch.Reset();
        if (_queued < _low && _capacity is not null)
        {
            _capacity.TrySetResult();
            _capacity = null;
        }

        return _current.Length > 0;
    }

    private void WriterThread()
    {
        try
        {
            while (true)
            {
                OutboundBuffer? batch = null;
                var from = 0;
                lock (Gate)
                {
                    if (_handOff is { } rest)
                    {
                        batch = rest; // the rest of a sender's batch
                        from = _handOffSent;
                        _handOff = null;
                    }
                    else if (!_writing && _current.Length > 0)
                    {
                        batch = BeginWrite();
                    }
                    else if (_closed && !_writing)
                    {
                        return;
                    }
                    else
                    {
                        _threadWaiting = true;
                    }
                }

                if (batch is null)
                {
                    _wake.Wait();
                    _wake.Reset(); // only set while _threadWaiting was, so no later wake-up is lost
                    continue;
                }

                Send(batch, from);
                lock (Gate) Written(batch);
            }
        }
#pragma warning disable CA1031 // Whatever ends the writer is the connection's close reason, never the thread's crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (Gate) _writing = false;
            _done.TrySetException(ex);
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    /// <summary>Completes when the queue is below its high watermark (at once when it is, or when closed).</summary>
    public Task WaitForCapacityAsync(CancellationToken cancellationToken)
    {
        Task wait;
        lock (Gate)
        {
            if (_closed || _queued < _high) return Task.CompletedTask;
            _capacity ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _capacity.Task;
        }

        return cancellationToken.CanBeCanceled ? wait.WaitAsync(cancellationToken) : wait;
    }

    /// <summary>Stops accepting frames; the writer thread ends after what is queued (or at once if the socket is gone).</summary>
    public void Close()
    {
        lock (Gate)
        {
            if (_closed) return;
            _closed = true;
            _capacity?.TrySetResult();
            _capacity = null;
            WakeWriterIfNeeded();
        }

        if (_socket is null) _done.TrySetResult();
    }

    public void Dispose()
    {
        Close();
        lock (Gate)
        {
            // A send may still be in progress on the closed socket: its buffer is then left to the garbage
            // collector rather than returned to the pool under it.
            if (_writing) return;
            _current.Dispose();
            _spare.Dispose();
        }
    }
}
