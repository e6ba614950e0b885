using System.Threading.Tasks.Sources;

namespace Beamwire.Node.Connection;

/// <summary>
/// An allocation-free auto-reset signal with one waiter (the connection's writer loop): <see cref="Set"/>
/// wakes the waiter, or makes its next <see cref="WaitAsync"/> complete at once. <c>Set(inline: true)</c>
/// runs the waiter's continuation on the calling thread instead of the thread pool.
/// </summary>
internal sealed class AsyncSignal : IValueTaskSource
{
    private readonly object _gate = new();
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private bool _set;
    private bool _waiting;

    public void Set(bool inline = false)
    {
        lock (_gate)
        {
            if (!_waiting)
            {
                _set = true;
                return;
            }

            _waiting = false;
            _core.RunContinuationsAsynchronously = !inline;
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
