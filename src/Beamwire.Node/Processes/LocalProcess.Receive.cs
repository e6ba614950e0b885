using System.Threading.Tasks.Sources;
using Beamwire.Node.Processes;
using Beamwire.Terms;

namespace Beamwire.Node;

// The mailbox: a lock-free inbound queue that senders add to, a save queue the receiver owns (messages
// a selective receive skipped, kept in order), and a receive that parks as a registered continuation.
public abstract partial class LocalProcess : IValueTaskSource<ErlangTerm?>
{
    private const int RecvIdle = 0;      // no receive parked (running, or not receiving)
    private const int RecvWaiting = 1;   // a receive is parked; the next sender schedules it
    private const int RecvScheduled = 2; // a waker queued the receiver on the thread pool

    /// <summary>
    /// The process a process running on this thread woke last: run here, right after the current one parks,
    /// instead of through the thread pool (Go's "runnext"). A chain of such hand-offs (ping-pong, a
    /// GenServer call and its reply) stays on one thread without queueing or waking other threads.
    /// </summary>
    [ThreadStatic]
    private static LocalProcess? t_next;

    [ThreadStatic]
    private static int t_running;

    /// <summary>This thread is a connection's reader: a process it wakes runs here once the frames just read are handed out.</summary>
    [ThreadStatic]
    private static bool t_reader;

    /// <summary>Sends since <see cref="t_next"/> was set: a sender that keeps sending is not about to park.</summary>
    [ThreadStatic]
    private static int t_sendsSinceHandOff;

    /// <summary>After this many further sends the handed-off process goes to the pool, where another core can run it.</summary>
    private const int HandOffPatience = 8;

    /// <summary>Hand-offs in a row before the next one goes through the pool, so others get a turn.</summary>
    private const int MaxHandOffs = 64;

    private InboundQueue _inbound = new();
    private MessageQueue? _saved;
    private int _recvState;
    private bool _receiving;
    private bool _startQueued;
    private Func<ErlangTerm, bool>? _match;
    private ManualResetValueTaskSourceCore<ErlangTerm?> _source;
    private ReceiveDeadline? _deadline;

    /// <summary>The receiver's continuation runs on the thread that delivered its message (see <see cref="MailboxOptions.AllowSynchronousContinuations"/>).</summary>
    private protected bool ReceivesOnDeliveringThread { get; init; }

    /// <summary>
    /// Messages waiting in the mailbox (<c>process_info(self(), message_queue_len)</c>): exact from the process's
    /// own code, an estimate from other threads. Not kept as a counter, so a send stays one atomic operation.
    /// </summary>
    public int Count => (_saved?.Count ?? 0) + _inbound.CountEstimate();

    /// <summary>
    /// <c>receive</c>: the first message <paramref name="match"/> accepts (any when null); messages it skips
    /// stay in the mailbox, in order, for later receives. Waits up to <paramref name="timeout"/> (infinite when
    /// null; zero only looks) and throws <see cref="TimeoutException"/> when nothing matched in time.
    /// One receive at a time, as a process has one thread of control.
    /// </summary>
    public ValueTask<ErlangTerm> ReceiveAsync(Func<ErlangTerm, bool>? match = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var vt = ReceiveCore(match, timeout ?? Timeout.InfiniteTimeSpan, throwOnTimeout: true, cancellationToken);
        if (vt.IsCompletedSuccessfully) return new ValueTask<ErlangTerm>(vt.Result!);
        if (vt.IsCompleted) return new ValueTask<ErlangTerm>((Task<ErlangTerm>)(object)vt.AsTask());
        // Same source, non-null result: with throwOnTimeout a timeout fails it rather than completing it with null.
        return new ValueTask<ErlangTerm>((IValueTaskSource<ErlangTerm>)(object)this, _source.Version);
    }

    /// <summary>Receives the first message, waiting up to <paramref name="timeout"/>.</summary>
    public ValueTask<ErlangTerm> ReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ReceiveAsync(null, timeout, cancellationToken);

    /// <summary><c>receive ... after Timeout -> ... end</c>: like <see cref="ReceiveAsync(Func{ErlangTerm, bool}?, TimeSpan?, CancellationToken)"/> but null on timeout.</summary>
    public ValueTask<ErlangTerm?> TryReceiveAsync(Func<ErlangTerm, bool>? match, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ReceiveCore(match, timeout, throwOnTimeout: false, cancellationToken);

    /// <summary>Takes the first waiting message <paramref name="match"/> accepts (any when null) without waiting.</summary>
    public bool TryReceive(Func<ErlangTerm, bool>? match, out ErlangTerm message)
    {
        ThrowIfExited();
        if (_receiving) throw ReceivePending();
        return TryTake(match, out message);
    }

    /// <summary>Takes the first waiting message without waiting.</summary>
    public bool TryReceive(out ErlangTerm message) => TryReceive(null, out message);

    /// <summary>Removes every waiting message <paramref name="match"/> accepts (demonitor's flush); returns how many.</summary>
    private protected int Flush(Func<ErlangTerm, bool> match)
    {
        var saved = _saved ??= new MessageQueue();
        while (_inbound.TryDequeue(out var m)) saved.Enqueue(m);
        return saved.RemoveAll(match);
    }

    internal void Enqueue(ErlangTerm message)
    {
        if (_life == Dead) return;
        _inbound.Enqueue(message);
        if (t_next is { } waiting && (t_running > 0 || !t_reader) && ++t_sendsSinceHandOff > HandOffPatience)
        {
            // The sender keeps going (fan-out, a batch): let another thread run the one it woke. (A reader
            // thread handing out the frames of one read is not such a sender: the process it woke runs as
            // soon as that read is handed out, and waking a pool thread for it costs more than the wait.)
            t_next = null;
            ThreadPool.UnsafeQueueUserWorkItem(waiting, preferLocal: false);
        }

        if (Volatile.Read(ref _recvState) == RecvWaiting &&
            Interlocked.CompareExchange(ref _recvState, RecvScheduled, RecvWaiting) == RecvWaiting)
        {
            if (ReceivesOnDeliveringThread)
                RunThenHandOffs(this); // MailboxOptions.AllowSynchronousContinuations: no thread hop
            else if ((t_running > 0 || t_reader) && t_next is null)
            {
                t_next = this; // a process sent it (or a connection delivered it): run it right after that one parks
                t_sendsSinceHandOff = 0;
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
            }
        }
    }

    /// <summary>
    /// Queues the process's first run on the thread pool (its body starts there). With <paramref name="runNext"/>,
    /// a spawn a peer asked for (rex's call process, a spawn request), made while the connection's reader hands
    /// out a read, starts on the reader thread once that read is handed out, as a process a message woke would:
    /// no pool hop, no other core woken for it. Anywhere else (a process on that thread, which may keep running,
    /// or any other thread) it goes to the pool.
    /// </summary>
    private protected void ScheduleStart(bool runNext = false)
    {
        _startQueued = true;
        if (runNext && t_reader && t_running == 0 && t_next is null)
        {
            t_next = this;
            t_sendsSinceHandOff = 0;
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
    }

    /// <summary>Runs the body (processes that have one).</summary>
    private protected virtual void RunStart()
    {
    }

    private ValueTask<ErlangTerm?> ReceiveCore(Func<ErlangTerm, bool>? match, TimeSpan timeout, bool throwOnTimeout, CancellationToken cancellationToken)
    {
        if (_life != Alive) return ValueTask.FromException<ErlangTerm?>(ExitedException());
        if (_receiving) throw ReceivePending();
        if (TryTake(match, out var ready)) return new ValueTask<ErlangTerm?>(ready);
        if (timeout == TimeSpan.Zero)
        {
            return throwOnTimeout
                ? ValueTask.FromException<ErlangTerm?>(new TimeoutException($"No matching message in the mailbox of {_pid}."))
                : new ValueTask<ErlangTerm?>((ErlangTerm?)null);
        }

        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<ErlangTerm?>(cancellationToken);
        _receiving = true;
        _match = match;
        _source.Reset();
        if (timeout != Timeout.InfiniteTimeSpan || cancellationToken.CanBeCanceled)
            (_deadline ??= new ReceiveDeadline(this)).Arm(timeout, throwOnTimeout, cancellationToken);
        Park();
        return new ValueTask<ErlangTerm?>(this, _source.Version);
    }

    private InvalidOperationException ReceivePending() =>
        new($"A process has one receiver at a time: a receive is already pending on {_pid}.");

    private bool TryTake(Func<ErlangTerm, bool>? match, out ErlangTerm message)
    {
        if (_saved is { Count: > 0 } saved && saved.TryTake(match, out message)) return true;

        while (_inbound.TryDequeue(out message))
        {
            if (match is null || match(message)) return true;

            (_saved ??= new MessageQueue()).Enqueue(message);
        }

        message = null!;
        return false;
    }

    /// <summary>
    /// Parks the pending receive, unless something arrived meanwhile. The state is set before the queue,
    /// the deadline and the exit are looked at; wakers change those before looking at the state, so one
    /// side always sees the other.
    /// </summary>
    private void Park()
    {
        while (true)
        {
            Interlocked.Exchange(ref _recvState, RecvWaiting);
            if (!_inbound.MayHaveItems && _deadline?.HasFired != true && _life == Alive) return;
            if (Interlocked.CompareExchange(ref _recvState, RecvIdle, RecvWaiting) != RecvWaiting) return; // a waker took it
            if (TryComplete()) return;
        }
    }

    void IThreadPoolWorkItem.Execute() => RunThenHandOffs(this);

    /// <summary>Marks the calling thread as a connection's reader (see <see cref="Connection.SocketReader"/>).</summary>
    internal static void MarkReaderThread() => t_reader = true;

    /// <summary>A process was woken on this thread and waits to run here (reader threads ask after each read).</summary>
    internal static bool HasHandOff => t_next is not null;

    /// <summary>Runs <paramref name="first"/>, then the processes it (and they) handed off, unless an outer run on this thread will.</summary>
    private static void RunThenHandOffs(LocalProcess first)
    {
        RunScheduled(first);
        // An outer run on this thread takes the hand-offs; so does a reader thread handing out a read (it
        // runs them where the watchdog can see it: a process that blocks must not stall the connection).
        if (t_running > 0 || t_reader) return;
        RunHandOffs();
    }

    /// <summary>Sends the process handed off to this thread, if any, to the thread pool (a reader thread that is ending, or too many hand-offs in a row).</summary>
    internal static void QueueHandOffs()
    {
        if (t_next is not { } next) return;
        t_next = null;
        ThreadPool.UnsafeQueueUserWorkItem(next, preferLocal: false);
    }

    /// <summary>Runs the process handed off to this thread, then those it hands off in turn (up to <see cref="MaxHandOffs"/>).</summary>
    internal static void RunHandOffs()
    {
        for (var hops = 0; t_next is { } next; hops++)
        {
            if (hops == MaxHandOffs)
            {
                QueueHandOffs();
                return;
            }

            t_next = null;
            RunScheduled(next);
        }
    }

    private static void RunScheduled(LocalProcess p)
    {
        t_running++;
        try
        {
            p.RunOnce();
        }
        finally
        {
            t_running--;
        }
    }

    /// <summary>One scheduled run: the body's start, or a look at what woke the parked receive.</summary>
    private void RunOnce()
    {
        if (_startQueued)
        {
            _startQueued = false;
            RunStart();
            return;
        }

        Volatile.Write(ref _recvState, RecvIdle);
        if (!_receiving || TryComplete()) return;
        Park();
    }

    /// <summary>Looks at what arrived for the parked receive; completes it when a message matched, the deadline passed or the process died.</summary>
    private bool TryComplete()
    {
        if (_life != Alive)
        {
            Finish(null, ExitedException());
            return true;
        }

        try
        {
            while (_inbound.TryDequeue(out var m))
            {
                if (_match is null || _match(m))
                {
                    Finish(m, null);
                    return true;
                }

                (_saved ??= new MessageQueue()).Enqueue(m);
            }
        }
#pragma warning disable CA1031 // The pattern is user code: its exception goes to the receiver, never to the thread pool.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Finish(null, ex);
            return true;
        }

        if (_deadline is { HasFired: true } d)
        {
            Finish(null, d.Outcome());
            return true;
        }

        return false;
    }

    private void Finish(ErlangTerm? message, Exception? error)
    {
        _receiving = false;
        _match = null;
        _deadline?.Disarm();
        // Runs the receiver's continuation inline: we are already on a thread-pool thread.
        if (error is null) _source.SetResult(message);
        else _source.SetException(error);
    }

    /// <summary>Schedules the parked receive (deadline passed, cancelled, or the process died).</summary>
    private void WakeReceiver()
    {
        if (Interlocked.CompareExchange(ref _recvState, RecvScheduled, RecvWaiting) == RecvWaiting)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    ErlangTerm? IValueTaskSource<ErlangTerm?>.GetResult(short token) => _source.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ErlangTerm?>.GetStatus(short token) => _source.GetStatus(token);

    void IValueTaskSource<ErlangTerm?>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);

    /// <summary>The timeout and cancellation of a parked receive; allocated once per process, only by processes that use them.</summary>
    private sealed class ReceiveDeadline
    {
        private const int NotFired = 0;
        private const int TimedOut = 1;
        private const int Cancelled = 2;
        private readonly LocalProcess _owner;
        private Timer? _timer;
        private long _dueAt;
        private bool _armed;
        private bool _throwOnTimeout;
        private int _fired;
        private CancellationToken _token;
        private CancellationTokenRegistration _registration;

        public ReceiveDeadline(LocalProcess owner) => _owner = owner;

        public bool HasFired => Volatile.Read(ref _fired) != NotFired;

        public void Arm(TimeSpan timeout, bool throwOnTimeout, CancellationToken token)
        {
            _fired = NotFired;
            _throwOnTimeout = throwOnTimeout;
            _token = token;
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                _dueAt = Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
                Volatile.Write(ref _armed, true);
                _timer ??= new Timer(static s => ((ReceiveDeadline)s!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
                _timer.Change(timeout, Timeout.InfiniteTimeSpan);
            }

            if (token.CanBeCanceled)
                _registration = token.UnsafeRegister(static s => ((ReceiveDeadline)s!).Fire(Cancelled), this);
        }

        private void OnTimer()
        {
            if (!Volatile.Read(ref _armed)) return; // a late tick from an earlier receive
            var left = _dueAt - Environment.TickCount64;
            if (left > 0)
            {
                try
                {
                    _timer?.Change(TimeSpan.FromMilliseconds(left), Timeout.InfiniteTimeSpan);
                }
                catch (ObjectDisposedException)
                {
                    // The process exited.
                }

                return;
            }

            Fire(TimedOut);
        }

        private void Fire(int how)
        {
            if (Interlocked.CompareExchange(ref _fired, how, NotFired) == NotFired) _owner.WakeReceiver();
        }

        /// <summary>What the receive completes with: null (timeout of a try-receive) or the exception.</summary>
        public Exception? Outcome() => _fired switch
        {
            Cancelled => new OperationCanceledException(_token),
            _ when _throwOnTimeout => new TimeoutException($"No matching message arrived in the mailbox of {_owner._pid} in time."),
            _ => null,
        };

        public void Disarm()
        {
            if (Volatile.Read(ref _armed))
            {
                Volatile.Write(ref _armed, false);
                try
                {
                    _timer?.Change(Timeout.Infinite, Timeout.Infinite);
                }
                catch (ObjectDisposedException)
                {
                    // The process exited meanwhile (Release).
                }
            }

            _registration.Dispose();
            _registration = default;
        }

        /// <summary>The process exited: its timer goes (it would otherwise wait for finalization).</summary>
        public void Release() => Interlocked.Exchange(ref _timer, null)?.Dispose();
    }
}
