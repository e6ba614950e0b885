using System.Buffers;

namespace Beamwire.Node.Connection;

/// <summary>
/// Reassembles fragmented distribution messages (headers 69 = first fragment, 70 = continuation). A
/// sequence is identified by its SequenceId; FragmentId counts down to 1, the last fragment. Several
/// sequences may be interleaved. Bounded: a sequence may not grow past <see cref="MaxMessageBytes"/>,
/// all open sequences together not past twice that, and at most <see cref="MaxSequences"/> may be open.
/// </summary>
internal sealed class FragmentAssembler : IDisposable
{
    private readonly Dictionary<ulong, Sequence> _open = new();
    private long _buffered;

    public FragmentAssembler(int maxMessageBytes, int maxSequences)
    {
        MaxMessageBytes = maxMessageBytes;
        MaxSequences = maxSequences;
    }

    public int MaxMessageBytes { get; }

    public int MaxSequences { get; }

    public int OpenSequences => _open.Count;

    /// <summary>Starts a sequence with its first fragment's body (control message and the start of the payload).</summary>
    public void Start(ulong sequenceId, ulong fragmentId, AtomRefs atoms, ReadOnlySpan<byte> body)
    {
        if (fragmentId < 2) throw new DistributionProtocolException("A first fragment with FragmentId 1 is not fragmented; it must use header 68.");
        if (_open.ContainsKey(sequenceId)) throw new DistributionProtocolException($"Fragment sequence {sequenceId} started twice.");
        if (_open.Count >= MaxSequences)
            throw new DistributionProtocolException($"More than {MaxSequences} fragmented messages open at once on one connection.");
        var seq = new Sequence(atoms, fragmentId, body.Length);
        Append(seq, body);
        _open.Add(sequenceId, seq);
    }

    /// <summary>
    /// Adds a continuation. Returns true when this was the last fragment; then <paramref name="complete"/>
    /// holds the whole body, which the caller must dispose.
    /// </summary>
    public bool Continue(ulong sequenceId, ulong fragmentId, ReadOnlySpan<byte> body, out CompletedMessage complete)
    {
        complete = default;
        if (!_open.TryGetValue(sequenceId, out var seq))
            throw new DistributionProtocolException($"Continuation fragment for unknown sequence {sequenceId}.");
        if (fragmentId != seq.NextFragmentId - 1)
        {
            _open.Remove(sequenceId);
            seq.Dispose();
            throw new DistributionProtocolException($"Fragment sequence {sequenceId}: expected fragment {seq.NextFragmentId - 1}, got {fragmentId}.");
        }

        seq.NextFragmentId = fragmentId;
        try
        {
            Append(seq, body);
        }
        catch
        {
            _open.Remove(sequenceId);
            _buffered -= seq.Written.Length;
            seq.Dispose();
            throw;
        }

        if (fragmentId != 1) return false;
        _open.Remove(sequenceId);
        _buffered -= seq.Written.Length;
        complete = new CompletedMessage(seq);
        return true;
    }

    private void Append(Sequence seq, ReadOnlySpan<byte> body)
    {
        if (_buffered + body.Length > 2L * MaxMessageBytes)
            throw new DistributionProtocolException($"Fragmented messages in progress hold more than {2L * MaxMessageBytes} bytes (twice MaxMessageSize).");
        seq.Append(body, MaxMessageBytes);
        _buffered += body.Length;
    }

    public void Dispose()
    {
        foreach (var seq in _open.Values) seq.Dispose();
        _open.Clear();
        _buffered = 0;
    }

    /// <summary>One reassembled message body; return its buffer with <see cref="Dispose"/>.</summary>
    internal readonly struct CompletedMessage : IDisposable
    {
        private readonly Sequence _seq;

        internal CompletedMessage(Sequence seq) => _seq = seq;

        public AtomRefs Atoms => _seq.Atoms;

        public ReadOnlySpan<byte> Body => _seq.Written;

        public void Dispose() => _seq?.Dispose();
    }

    internal sealed class Sequence : IDisposable
    {
        private byte[] _buffer;
        private int _length;

        /// <summary>The smallest buffer a sequence starts with.</summary>
        private const int MinimumBuffer = 256;

        // Sized by the bytes the first fragment brought, never more: a peer may open many sequences with
        // tiny first fragments, and a fixed 64 KiB each made 16 KiB of frames cost 64 MiB. Later
        // fragments grow the buffer by doubling (Append), as their bytes arrive.
        public Sequence(AtomRefs atoms, ulong firstFragmentId, int firstBodyLength)
        {
            Atoms = atoms;
            NextFragmentId = firstFragmentId;
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(MinimumBuffer, firstBodyLength));
        }

        public AtomRefs Atoms { get; }

        public ulong NextFragmentId { get; set; }

        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

        public void Append(ReadOnlySpan<byte> body, int max)
        {
            if ((long)_length + body.Length > max)
                throw new DistributionProtocolException($"A fragmented message grew past the limit of {max} bytes (MaxMessageSize).");
            if (_length + body.Length > _buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(max, Math.Max((long)_buffer.Length * 2, (long)_length + body.Length)));
                _buffer.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }

            body.CopyTo(_buffer.AsSpan(_length));
            _length += body.Length;
        }

        public void Dispose()
        {
            var b = _buffer;
            _buffer = [];
            _length = 0;
            if (b.Length > 0) ArrayPool<byte>.Shared.Return(b);
        }
    }
}
