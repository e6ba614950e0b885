using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using Beamwire.Node.Processes;

namespace Beamwire.Node.Connection;

/// <summary>What a <see cref="SocketReader"/> hands its frames to.</summary>
internal interface IFrameSink
{
    /// <summary>One whole frame (the bytes after its length), not empty. May throw <see cref="DistributionProtocolException"/>.</summary>
    void OnFrame(ReadOnlySpan<byte> frame);

    /// <summary>Bytes arrived, holding <paramref name="frames"/> whole frames (ticks included).</summary>
    void OnReceived(int frames);

    /// <summary>A process run on the reader thread threw (processes catch their own failures; this is a last resort).</summary>
    void OnProcessFailed(Exception exception);

    /// <summary>Bytes queued so far for sending to the peer (grows with every frame sent).</summary>
    long BytesSent { get; }
}

/// <summary>
/// A connection's receive side: a thread of its own that blocks in <c>recv</c>, cuts length-prefixed
/// frames out of one pooled buffer and hands them over in place. A process those frames woke runs right
/// after, on this same thread, before the next <c>recv</c>: the kernel wakes one thread per message and no
/// thread-pool hop sits between the socket and the process (what a round trip costs is what Erlang's own
/// schedulers pay). Several processes woken by one read go to the thread pool, where other cores take them.
/// </summary>
/// <remarks>
/// Why not <see cref="PipeReader"/> on the socket's async reads: every completion of those is a hop from the
/// socket engine's thread to a pool thread, and a second hop follows to run the process it woke; on a
/// 2-core host the two hops doubled the round trip (docs/performance.md). A process that runs long on the
/// reader's thread would hold up the connection's other messages, so <see cref="ReaderWatchdog"/> moves the
/// reading to a fresh thread when a run takes longer than <see cref="ReaderWatchdog.TakeOverAfterMs"/>; the old
/// thread retires once its process parks. Frames are never copied to be parsed; a frame larger than the buffer
/// grows it by doubling as its bytes arrive (never to a length the peer merely announced).
/// </remarks>
internal sealed class SocketReader : IDisposable
{
    private const int DefaultBufferSize = 64 * 1024;
    private const int BurstReadBytes = 4096;
    private const long Running = 1; // low bit of _state: the reader thread is running processes, not reading

    private readonly Socket _socket;
    private readonly IFrameSink _sink;
    private readonly int _maxFrame;
    private readonly string _threadName;
    private readonly TaskCompletionSource<string> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(DefaultBufferSize);
    private int _start; // unparsed bytes are _buffer[_start.._end]
    private int _end;
    private long _state; // generation << 1 | Running: the generation names the one thread allowed to read
    private long _runningSince;
    private int _partialFrame; // bytes (length included) of the frame that has begun to arrive
    private int _lastRead;     // bytes the last recv returned
    private int _lastFrames;   // whole frames the last parse handed out
    private long _sentAtLastRead; // the sink's BytesSent when the last recv began
    private int _streamReads;     // reads in a row with nothing sent meanwhile
    private long _reads;
    private readonly int _coalesceMicros;
    private Exception? _protocolError;

    /// <param name="coalesceMicros">The pause before reading on while the peer streams and nothing goes back (0: never).</param>
    public SocketReader(Socket socket, IFrameSink sink, int maxFrame, int coalesceMicros, string peer)
    {
        _coalesceMicros = coalesceMicros;
        _socket = socket;
        _sink = sink;
        _maxFrame = maxFrame;
        _threadName = "bw recv " + peer;
    }

    /// <summary>Completes when reading has ended for good, with the reason (the peer closed, the socket went away, a protocol error).</summary>
    public Task<string> Completion => _done.Task;

    /// <summary>Takes over what the handshake's reader had buffered beyond the handshake, then starts the reader thread.</summary>
    public void Start(PipeReader handshakeReader)
    {
        if (handshakeReader.TryRead(out var rest))
        {
            var length = (int)rest.Buffer.Length;
            if (length > _buffer.Length) Grow(length);
            rest.Buffer.CopyTo(_buffer);
            _end = length;
            handshakeReader.AdvanceTo(rest.Buffer.End);
        }

        handshakeReader.Complete();
        ReaderWatchdog.Register(this);
        StartThread(0);
    }

    private void StartThread(long generation)
    {
        var thread = new Thread(static s => { var (r, g) = ((SocketReader, long))s!; r.Run(g); })
        {
            IsBackground = true,
            Name = _threadName,
        };
        thread.UnsafeStart((this, generation));
    }

    private void Run(long generation)
    {
        LocalProcess.MarkReaderThread();
        string? ended = null;
        try
        {
            // Bytes carried over from the handshake (or left by the thread this one took over from) first.
            var more = _end > _start || Fill();
            while (more)
            {
                Parse();
                if (LocalProcess.HasHandOff)
                {
                    Volatile.Write(ref _runningSince, Environment.TickCount64);
                    Volatile.Write(ref _state, generation << 1 | Running);
                    try
                    {
                        LocalProcess.RunHandOffs();
                    }
#pragma warning disable CA1031 // A process's failure is the process's (its exit reason), never the connection's.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        _sink.OnProcessFailed(ex);
                    }

                    if (Interlocked.CompareExchange(ref _state, generation << 1, generation << 1 | Running) != (generation << 1 | Running))
                        return; // the watchdog gave the socket to a new thread meanwhile: this one retires
                }

                more = Fill();
            }

            ended = "connection_closed";
        }
        catch (DistributionProtocolException ex)
        {
            _protocolError = ex;
            ended = "protocol error: " + ex.Message;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            ended = "connection_closed";
        }
#pragma warning disable CA1031 // Anything else is a defect here, but it ends this connection, never the OS process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _protocolError = ex;
            ended = "internal error: " + ex.Message;
        }
        finally
        {
            // A process woken by the frames before the one that failed must still run: it is scheduled
            // (no sender will wake it again), so it goes to the pool rather than being lost with this thread.
            LocalProcess.QueueHandOffs();
            if (ended is not null) Finish(ended);
        }
    }

    /// <summary>The protocol error that ended reading, if one did.</summary>
    public Exception? ProtocolError => _protocolError;

    private void Finish(string reason)
    {
        ReaderWatchdog.Unregister(this);
        var buffer = Interlocked.Exchange(ref _buffer, null!);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        _done.TrySetResult(reason);
    }

    /// <summary>Blocks until bytes arrive; false when the peer closed the connection.</summary>
    private bool Fill()
    {
        if (_end == _buffer.Length)
        {
            // A frame bigger than the buffer is arriving: the next doubling (or the first bytes of a frame,
            // fewer than its length field, are left at the very end: move them to the front).
            if (_start > 0) Compact();
            else MakeRoom(_partialFrame);
        }

        // A short read that held several frames is a sender's stream caught mid-burst. Reading on at once would
        // take a few frames per read, and every read costs both sides a wake-up and an ACK: an Erlang sender
        // then spent a fifth more CPU per message and became the bottleneck (docs/performance.md). When nothing
        // went back to the peer over the last two reads (a one-way stream: nobody waits for us), pause briefly
        // so the next read takes the stream's next messages at once, as a busy Erlang scheduler's polling does.
        // Two reads, not one: after a request whose reply leaves a moment later (its process awaited
        // something), the next read comes only after that reply, so a request/reply exchange never pauses.
        // When we did send (a windowed exchange, requests and replies), only give up the core for a moment:
        // the peer may be waiting for what we sent. A lone frame (a round trip) never waits.
        var sent = _sink.BytesSent;
        _streamReads = sent == _sentAtLastRead ? _streamReads + 1 : 0;
        if (_lastFrames > 1 && _lastRead < BurstReadBytes)
        {
            if (_coalesceMicros > 0 && _streamReads >= 2)
            {
                Pauses++;
                ShortSleep.Microseconds(_coalesceMicros);
            }
            else
            {
                Thread.Yield();
            }
        }

        _sentAtLastRead = sent;
        var n = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
        _lastRead = n;
        if (n <= 0) return false;
        Volatile.Write(ref _reads, _reads + 1);
        _end += n;
        return true;
    }

    private void Parse()
    {
        var frames = 0;
        while (_end - _start >= 4)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(_start, 4));
            if (length > (uint)_maxFrame)
                throw new DistributionProtocolException($"A {length}-byte frame exceeds MaxMessageSize ({_maxFrame}).");
            if (_end - _start - 4 < length)
            {
                // A partial frame: room for it to keep arriving (grown as its bytes do, not to the announced length).
                _partialFrame = 4 + (int)length;
                MakeRoom(_partialFrame);
                break;
            }

            var frame = _buffer.AsSpan(_start + 4, (int)length);
            _start += 4 + (int)length;
            frames++;
            if (length > 0) _sink.OnFrame(frame);
        }

        if (_start == _end)
        {
            _start = _end = 0;
            if (_buffer.Length > DefaultBufferSize) Shrink();
        }

        _lastFrames = frames;
        Frames += frames;
        _sink.OnReceived(frames);
    }

    /// <summary>Makes room for the rest of a frame of <paramref name="needed"/> bytes (its length included) that has begun to arrive.</summary>
    private void MakeRoom(int needed)
    {
        if (_buffer.Length - _start >= needed) return;
        if (needed <= _buffer.Length) Compact();
        else Grow(Math.Min(needed, _buffer.Length * 2)); // doubling: never more than twice the bytes that arrived
    }

    private void Compact()
    {
        var unparsed = _end - _start;
        _buffer.AsSpan(_start, unparsed).CopyTo(_buffer);
        _start = 0;
        _end = unparsed;
    }

    private void Grow(int size)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(size, _end - _start));
        _buffer.AsSpan(_start, _end - _start).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _end -= _start;
        _start = 0;
        _buffer = bigger;
    }

    private void Shrink()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = ArrayPool<byte>.Shared.Rent(DefaultBufferSize);
    }

    /// <summary>
    /// Called by the watchdog: when the reader thread has been running processes for longer than
    /// <paramref name="limitMs"/>, a new thread takes the socket over (the old one retires when its run ends).
    /// </summary>
    internal void TakeOverIfStalled(long now, int limitMs)
    {
        var state = Volatile.Read(ref _state);
        if ((state & Running) == 0 || now - Volatile.Read(ref _runningSince) < limitMs) return;
        var next = (state >> 1) + 1;
        if (Interlocked.CompareExchange(ref _state, next << 1, state) != state) return;
        TakeOvers++;
        StartThread(next);
    }

    /// <summary>How many times the watchdog moved reading to a new thread (diagnostics).</summary>
    public int TakeOvers { get; private set; }

    /// <summary>Whole frames read, ticks included (diagnostics; written by the reader thread only).</summary>
    public long Frames { get; private set; }

    /// <summary>Reads that returned bytes (written by the reader thread only; the tick loop reads it to tell a silent peer).</summary>
    public long Reads => Volatile.Read(ref _reads);

    /// <summary>Reads preceded by a coalescing pause (diagnostics; written by the reader thread only).</summary>
    public long Pauses { get; private set; }

    /// <summary>Stops watching; the thread itself ends when the socket is closed.</summary>
    public void Dispose() => ReaderWatchdog.Unregister(this);
}
