namespace Beamwire.Epmd.Daemon;

/// <summary>
/// Hands out the numbers DUMP shows as <c>fd = N</c> the way the kernel numbers epmd's sockets:
/// the lowest free number, starting after stdin/stdout/stderr and the listening sockets. Our real
/// descriptors are the runtime's business; numbering like epmd keeps DUMP replies identical to its.
/// </summary>
internal sealed class FdNumbers(int first)
{
    private readonly PriorityQueue<int, int> _freed = new();
    private readonly Lock _gate = new();
    private int _next = first;

    public int Take()
    {
        lock (_gate)
            return _freed.TryDequeue(out var n, out _) ? n : _next++;
    }

    public void Return(int n)
    {
        lock (_gate)
            _freed.Enqueue(n, n);
    }
}
