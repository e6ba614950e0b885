using System.Net.Sockets;

namespace Beamwire.Node.Connection;

/// <summary>
/// A connection's send side: senders encode frames into the current buffer under <see cref="Gate"/>
/// (so frames keep their order), and one writer loop swaps the buffers and writes everything queued
/// since its last write in one socket send: one flush per burst. The queue is bounded: above the high
/// watermark the connection is busy (Erlang's busy_dist_port) and senders wait until the writer has
/// drained it below the low watermark.
/// </summary>
internal sealed class OutboundQueue : IDisposable
{
    // A lone message is written at once on the sender's thread (no thread hop: round-trip latency);
    // a message that follows a write within this window means a burst, and the writer runs on the
    // thread pool so the sender keeps filling the buffer and the burst goes out in few writes.
    private static readonly long BurstWindow = System.Diagnostics.Stopwatch.Frequency / 50_000; // 20 µs

    // Set while Wake runs the writer on the sender's thread.
    [ThreadStatic]
    private static bool t_writingInline;

    private readonly AsyncSignal _signal = new();
    private long _lastWriteEnd;
    private readonly long _high;
    private readonly long _low;
    private OutboundBuffer _current = new();
    private OutboundBuffer _spare = new();
    private long _queued;
    private bool _signaled;
    private bool _closed;
    private TaskCompletionSource? _capacity;
    private long _bytesWritten;

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

    public bool IsBusy => Interlocked.Read(ref _queued) >= _high;

    public event Action? BecameBusy;

    /// <summary>
    /// Call under <see cref="Gate"/> after appending <paramref name="bytes"/> to <see cref="Buffer"/>;
    /// returns true when the caller must <see cref="Wake"/> the writer after leaving the lock.
    /// </summary>
    public bool Commit(int bytes)
    {
        var before = _queued;
        _queued = before + bytes;
        if (before < _high && _queued >= _high) BecameBusy?.Invoke();
        if (_signaled) return false;
        _signaled = true;
        return true;
    }

    public void Wake()
    {
        var inline = System.Diagnostics.Stopwatch.GetTimestamp() - Volatile.Read(ref _lastWriteEnd) > BurstWindow;
        t_writingInline = inline;
        try
        {
            _signal.Set(inline);
        }
        finally
        {
            t_writingInline = false;
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

    /// <summary>The writer loop: runs until the queue is closed or the socket fails.</summary>
    public async Task RunAsync(Socket socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            await _signal.WaitAsync().ConfigureAwait(false);
            OutboundBuffer batch;
            lock (Gate)
            {
                _signaled = false;
                if (_current.Length == 0)
                {
                    if (_closed) return;
                    continue;
                }

                batch = _current;
                _current = _spare;
                _spare = batch;
            }

            var data = batch.Written;
            while (!data.IsEmpty)
            {
                var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (sent <= 0) throw new SocketException((int)SocketError.ConnectionReset);
                data = data[sent..];
            }

            Interlocked.Add(ref _bytesWritten, batch.Length);
            Volatile.Write(ref _lastWriteEnd, System.Diagnostics.Stopwatch.GetTimestamp());

            // Written on a sender's thread: whatever else arrives is the thread pool's to write, so
            // that sender is not kept writing other senders' messages.
            if (t_writingInline)
            {
                t_writingInline = false;
                await Task.Yield();
            }
            TaskCompletionSource? release = null;
            lock (Gate)
            {
                _queued -= batch.Length;
                batch.Reset();
                if (_queued < _low && _capacity is not null)
                {
                    release = _capacity;
                    _capacity = null;
                }
            }

            release?.TrySetResult();
        }
    }

    /// <summary>Stops accepting frames; the writer ends after what is queued (or at once if the socket is gone).</summary>
    public void Close()
    {
        TaskCompletionSource? release;
        lock (Gate)
        {
            if (_closed) return;
            _closed = true;
            release = _capacity;
            _capacity = null;
        }

        release?.TrySetResult();
        _signal.Set();
    }

    public void Dispose()
    {
        Close();
        lock (Gate)
        {
            _current.Dispose();
            _spare.Dispose();
        }
    }
}
