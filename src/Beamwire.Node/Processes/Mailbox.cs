using Beamwire.Node.Processes;
using Beamwire.Terms;

namespace Beamwire.Node;

/// <summary>
/// A pid with a message queue: what an Erlang process offers to the rest of the cluster, driven from
/// .NET code. Messages to its <see cref="Pid"/> (or its registered <see cref="Name"/>) from any node
/// arrive in order per sender; <see cref="ReceiveAsync"/> takes the first message a pattern accepts and
/// leaves the others queued in their order (Erlang's selective receive).
/// One receiver at a time, as a process has one.
/// </summary>
public sealed class Mailbox : IProcess, IDisposable
{
    private readonly BeamNode _node;
    private readonly MessageQueue _queue = new();
    private readonly object _gate = new();
    private Waiter? _waiter;
    private bool _disposed;

    private readonly bool _synchronousContinuations;

    internal Mailbox(BeamNode node, ErlangPid pid, ErlangAtom? name, bool synchronousContinuations = false)
    {
        _node = node;
        Pid = pid;
        Name = name;
        _synchronousContinuations = synchronousContinuations;
    }

    /// <summary>This mailbox's pid: send it to Erlang processes so they can reply.</summary>
    public ErlangPid Pid { get; }

    /// <summary>The locally registered name, if any (<c>{Name, Node} ! Msg</c> reaches it).</summary>
    public ErlangAtom? Name { get; }

    /// <summary>The node this mailbox lives on.</summary>
    public BeamNode Node => _node;

    /// <summary>Messages waiting (not yet received).</summary>
    public int Count
    {
        get { lock (_gate) return _queue.Count; }
    }

    void IProcess.Deliver(ErlangTerm message)
    {
        Waiter? done = null;
        lock (_gate)
        {
            if (_disposed) return;
            var w = _waiter;
            if (w is not null && (w.Match is null || w.Match(message)))
            {
                _waiter = null;
                done = w;
            }
            else
            {
                _queue.Enqueue(message);
            }
        }

        done?.Complete(message);
    }

    /// <summary>Sends <paramref name="message"/> to a pid on any node (<c>Pid ! Message</c>) with this mailbox as sender.</summary>
    public void Send(ErlangPid to, ErlangTerm message) => _node.Router.Send(Pid, to, message);

    /// <summary>Sends to a process registered locally under <paramref name="name"/>.</summary>
    public void Send(string name, ErlangTerm message) => _node.Router.Send(Pid, ErlangAtom.Get(name), _node.SelfAtom, message);

    /// <summary>Sends to <c>{Name, Node}</c>: a process registered on another (or this) node.</summary>
    public void Send(string name, string node, ErlangTerm message) =>
        _node.Router.Send(Pid, ErlangAtom.Get(name), ErlangAtom.Get(node), message);

    /// <summary>Sends, waiting while the connection's send queue is full (back-pressure) and while it connects.</summary>
    public ValueTask SendAsync(ErlangPid to, ErlangTerm message, CancellationToken cancellationToken = default) =>
        _node.Router.SendAsync(Pid, to, message, cancellationToken);

    /// <summary>Sends to <c>{Name, Node}</c>, waiting under back-pressure.</summary>
    public ValueTask SendAsync(string name, string node, ErlangTerm message, CancellationToken cancellationToken = default) =>
        _node.Router.SendAsync(Pid, ErlangAtom.Get(name), ErlangAtom.Get(node), message, cancellationToken);

    /// <summary>Takes the first waiting message <paramref name="match"/> accepts (any when null) without waiting.</summary>
    public bool TryReceive(Func<ErlangTerm, bool>? match, out ErlangTerm message)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _queue.TryTake(match, out message);
        }
    }

    /// <summary>Takes the first waiting message without waiting.</summary>
    public bool TryReceive(out ErlangTerm message) => TryReceive(null, out message);

    /// <summary>
    /// Receives the first message <paramref name="match"/> accepts (any message when null), waiting up
    /// to <paramref name="timeout"/> (infinite when null; zero only looks). Messages it skips stay queued
    /// in order. Throws <see cref="TimeoutException"/> when nothing matched in time.
    /// </summary>
    public ValueTask<ErlangTerm> ReceiveAsync(Func<ErlangTerm, bool>? match = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        Waiter waiter;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_queue.TryTake(match, out var ready)) return new ValueTask<ErlangTerm>(ready);
            if (timeout == TimeSpan.Zero) return ValueTask.FromException<ErlangTerm>(new TimeoutException($"No matching message in the mailbox of {Pid}."));
            if (_waiter is not null)
                throw new InvalidOperationException("A mailbox has one receiver at a time, like an Erlang process: another ReceiveAsync is pending.");
            waiter = new Waiter(this, match, _synchronousContinuations);
            _waiter = waiter;
            // Armed under the lock so a message cannot complete the waiter before its timer exists.
            waiter.Arm(timeout ?? Timeout.InfiniteTimeSpan, cancellationToken);
        }

        return new ValueTask<ErlangTerm>(waiter.Task);
    }

    /// <summary>Receives the first message, waiting up to <paramref name="timeout"/>.</summary>
    public ValueTask<ErlangTerm> ReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ReceiveAsync(null, timeout, cancellationToken);

    private bool TryCancelWaiter(Waiter waiter)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_waiter, waiter)) return false;
            _waiter = null;
            return true;
        }
    }

    /// <summary>Removes the mailbox: its pid and name stop receiving, a pending receive fails.</summary>
    public void Dispose()
    {
        Waiter? w;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            w = _waiter;
            _waiter = null;
            _queue.Clear();
        }

        _node.Processes.Remove(this);
        w?.Fail(new ObjectDisposedException(nameof(Mailbox), $"The mailbox {Pid} was disposed while receiving."));
    }

    public override string ToString() => Name is null ? $"Mailbox {Pid}" : $"Mailbox {Pid} ({Name.Name})";

    /// <summary>One pending receive: its pattern, timer and cancellation.</summary>
    private sealed class Waiter : IDisposable
    {
        private readonly Mailbox _owner;
        private readonly TaskCompletionSource<ErlangTerm> _tcs;
        private Timer? _timer;
        private CancellationTokenRegistration _registration;

        public Waiter(Mailbox owner, Func<ErlangTerm, bool>? match, bool synchronousContinuations)
        {
            _owner = owner;
            Match = match;
            _tcs = new(synchronousContinuations ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public Func<ErlangTerm, bool>? Match { get; }

        public Task<ErlangTerm> Task => _tcs.Task;

        public void Arm(TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (cancellationToken.CanBeCanceled)
                _registration = cancellationToken.Register(static s =>
                {
                    var w = (Waiter)s!;
                    if (w._owner.TryCancelWaiter(w)) w.Cancel();
                }, this);
            if (timeout != Timeout.InfiniteTimeSpan)
                _timer = new Timer(static s =>
                {
                    var w = (Waiter)s!;
                    if (w._owner.TryCancelWaiter(w))
                        w.Fail(new TimeoutException($"No matching message arrived in the mailbox of {w._owner.Pid} in time."));
                }, this, timeout, Timeout.InfiniteTimeSpan);
        }

        public void Complete(ErlangTerm message)
        {
            Cleanup();
            _tcs.TrySetResult(message);
        }

        public void Fail(Exception ex)
        {
            Cleanup();
            _tcs.TrySetException(ex);
        }

        private void Cancel()
        {
            Cleanup();
            _tcs.TrySetCanceled();
        }

        public void Dispose() => Cleanup();

        private void Cleanup()
        {
            _timer?.Dispose();
            _registration.Dispose();
        }
    }
}
