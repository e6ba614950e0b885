using System.Runtime.CompilerServices;
using Beamwire.Terms;

namespace Beamwire.Node.Processes;

/// <summary>
/// The lock-free front of a mailbox: many senders, one receiver (Vyukov's intrusive MPSC queue). A send
/// is one allocation and one <see cref="Interlocked.Exchange{T}(ref T, T)"/>; the receiver takes messages
/// in send order without any lock. Messages a selective receive skips move on to the receiver-owned
/// save queue, so this queue only ever sees the head taken.
/// </summary>
internal struct InboundQueue
{
    private Node _head; // receiver side: the last taken node (the stub)
    private Node _tail; // sender side: the last added node

    public InboundQueue()
    {
        _head = _tail = new Node(null);
    }

    /// <summary>Adds a message (any thread).</summary>
    public void Enqueue(ErlangTerm message)
    {
        var node = new Node(message);
        var prev = Interlocked.Exchange(ref _tail, node);
        Volatile.Write(ref prev.Next, node);
    }

    /// <summary>
    /// True when a sender has started adding a message the receiver cannot take yet or has added one:
    /// the receiver's check before it parks (a false "empty" would lose a wake-up).
    /// </summary>
    public bool MayHaveItems => !ReferenceEquals(_head, Volatile.Read(ref _tail));

    /// <summary>
    /// How many messages are queued, by walking the list: exact when called by the receiver, an estimate from
    /// other threads (nodes stay valid objects after they are taken, so the walk is safe, merely stale).
    /// </summary>
    public readonly int CountEstimate()
    {
        var n = 0;
        for (var node = Volatile.Read(ref Unsafe.AsRef(in _head)).Next; node is not null; node = Volatile.Read(ref node.Next)) n++;
        return n;
    }

    /// <summary>Takes the oldest message (receiver only). Spins briefly if a sender is mid-way through adding it.</summary>
    public bool TryDequeue(out ErlangTerm message)
    {
        var head = _head;
        var next = Volatile.Read(ref head.Next);
        if (next is null)
        {
            if (ReferenceEquals(head, Volatile.Read(ref _tail)))
            {
                message = null!;
                return false;
            }

            // A sender swapped the tail but has not linked its node yet: it is a few instructions away.
            var spin = new SpinWait();
            while ((next = Volatile.Read(ref head.Next)) is null) spin.SpinOnce(-1);
        }

        _head = next;
        message = next.Value!;
        next.Value = null; // the node is the new stub: do not keep the message alive
        return true;
    }

    private sealed class Node(ErlangTerm? value)
    {
        public ErlangTerm? Value = value;
        public Node? Next;
    }
}
