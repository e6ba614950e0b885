using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Beamwire.Terms.Codec;

/// <summary>
/// Writes bytes into an <see cref="IBufferWriter{T}"/> (asking for more space only when the current
/// span is full) or into one fixed span. No intermediate arrays.
/// </summary>
internal ref struct TermWriter
{
    private const int MinChunk = 512;

    private readonly IBufferWriter<byte>? _writer;
    private Span<byte> _span;
    private int _pos;

    public TermWriter(IBufferWriter<byte> writer)
    {
        // Whatever room the writer has now: a pipe's current segment, a pooled buffer's free tail.
        _writer = writer;
        _span = writer.GetSpan();
        _pos = 0;
    }

    public TermWriter(Span<byte> destination)
    {
        _writer = null;
        _span = destination;
        _pos = 0;
    }

    /// <summary>Where atoms get ATOM_CACHE_REF indices (distribution messages), or null.</summary>
    public IAtomCacheWriter? Atoms { get; set; }

    /// <summary>Bytes written into a fixed span.</summary>
    public readonly int Written => _pos;

    /// <summary>Hands what was written to the buffer writer.</summary>
    public void Flush()
    {
        if (_writer is not null && _pos > 0)
        {
            _writer.Advance(_pos);
            _pos = 0;
            _span = default;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Take(int count)
    {
        if (_span.Length - _pos < count) Grow(count);
        var s = _span.Slice(_pos, count);
        _pos += count;
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        if (_pos >= _span.Length) Grow(1);
        _span[_pos++] = value;
    }

    public void WriteTagAndByte(byte tag, byte value)
    {
        var s = Take(2);
        s[0] = tag;
        s[1] = value;
    }

    public void WriteTagAndUInt32(byte tag, uint value)
    {
        var s = Take(5);
        s[0] = tag;
        BinaryPrimitives.WriteUInt32BigEndian(s[1..], value);
    }

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Take(2), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Take(8), value);

    /// <summary>Copies bytes, in pieces when the buffer writer hands out smaller spans.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int room = _span.Length - _pos;
            if (room == 0)
            {
                Grow(Math.Min(bytes.Length, 1 << 16));
                room = _span.Length - _pos;
            }

            int n = Math.Min(room, bytes.Length);
            bytes[..n].CopyTo(_span[_pos..]);
            _pos += n;
            bytes = bytes[n..];
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        if (_writer is null)
            throw new InvalidOperationException("The destination span is too small for the encoded term.");
        _writer.Advance(_pos);
        _pos = 0;
        _span = _writer.GetSpan(Math.Max(count, MinChunk));
        if (_span.Length < count)
            throw new InvalidOperationException($"The IBufferWriter returned {_span.Length} bytes when asked for at least {count}.");
    }
}
