using System.Threading.Tasks.Sources;

namespace Beamwire.Node.Connection;

/// <summary>
/// An allocation-free auto-reset signal with one waiter (the connection's writer loop): <see cref="Set"/>
/// wakes the waiter, or makes its next <see cref="WaitAsync"/> complete at once. With
/// <c>inline</c>, the waiter's continuation runs on the thread that calls <see cref="Set"/>: an idle
/// writer then writes a lone message at once on the sender's thread (no thread hop, the latency of a
/// round trip), while a writer busy in a socket send keeps batching whatever arrives meanwhile.
/// </summary>
internal sealed class AsyncSignal : IValueTaskSource
{
    private readonly object _gate = new();
    private ManualResetValueTaskSourceCore<bool> _core;

    public AsyncSignal(bool inline = false) => _core = new() { RunContinuationsAsynchronously = !inline };
    private bool _set;
    private bool _waiting;

    public void Set()
    {
        lock (_gate)
        {
            if (!_waiting)
            {
                _set = true;
                return;
            }

            _waiting = false;
        }

        _core.SetResult(true);
    }

    public ValueTask WaitAsync()
    {
        lock (_gate)
        {
            if (_set)
            {
                _set = false;
                return ValueTask.CompletedTask;
            }

            _core.Reset();
            _waiting = true;
            return new ValueTask(this, _core.Version);
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
