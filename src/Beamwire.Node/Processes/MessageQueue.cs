using Beamwire.Terms;

namespace Beamwire.Node.Processes;

/// <summary>
/// A mailbox's messages in arrival order: a growable ring buffer. Taking the head is O(1); a selective
/// receive that takes a message from the middle shifts the ones before it (rare, and what keeps the
/// order of the messages it skipped, as Erlang's save queue does).
/// </summary>
internal sealed class MessageQueue
{
    private ErlangTerm[] _items = new ErlangTerm[16];
    private int _head;
    private int _count;

    public int Count => _count;

    public void Enqueue(ErlangTerm item)
    {
        if (_count == _items.Length) Grow();
        _items[(_head + _count) % _items.Length] = item;
        _count++;
    }

    /// <summary>Removes and returns the first message <paramref name="match"/> accepts (any when null).</summary>
    public bool TryTake(Func<ErlangTerm, bool>? match, out ErlangTerm item)
    {
        for (var i = 0; i < _count; i++)
        {
            var candidate = _items[(_head + i) % _items.Length];
            if (match is null || match(candidate))
            {
                RemoveAt(i);
                item = candidate;
                return true;
            }
        }

        item = null!;
        return false;
    }

    /// <summary>Removes every message <paramref name="match"/> accepts, keeping the others in order; returns how many.</summary>
    public int RemoveAll(Func<ErlangTerm, bool> match)
    {
        var len = _items.Length;
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            var item = _items[(_head + i) % len];
            if (match(item)) continue;
            _items[(_head + kept) % len] = item;
            kept++;
        }

        for (var i = kept; i < _count; i++) _items[(_head + i) % len] = null!;
        var removed = _count - kept;
        _count = kept;
        return removed;
    }

    private void RemoveAt(int index)
    {
        var len = _items.Length;
        // Shift the messages before it one step towards the tail, then drop the head slot.
        for (var i = index; i > 0; i--)
            _items[(_head + i) % len] = _items[(_head + i - 1) % len];
        _items[_head] = null!;
        _head = (_head + 1) % len;
        _count--;
    }

    private void Grow()
    {
        var bigger = new ErlangTerm[_items.Length * 2];
        for (var i = 0; i < _count; i++) bigger[i] = _items[(_head + i) % _items.Length];
        _items = bigger;
        _head = 0;
    }

    public void Clear()
    {
        Array.Clear(_items);
        _head = 0;
        _count = 0;
    }
}
