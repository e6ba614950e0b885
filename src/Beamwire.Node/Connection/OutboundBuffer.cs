using System.Buffers;
using System.Buffers.Binary;
using Beamwire.Terms;

namespace Beamwire.Node.Connection;

/// <summary>
/// A contiguous, growable, pooled byte buffer that frames are encoded into: an <see cref="IBufferWriter{T}"/>
/// that also lets the frame writer fill in the 4-byte length once the frame is complete.
/// </summary>
internal sealed class OutboundBuffer : IBufferWriter<byte>, IDisposable
{
    private const int InitialSize = 16 * 1024;
    private const int KeepAtMost = 1024 * 1024;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _length;

    public int Length => _length;

    /// <summary>Where atoms written into this buffer get atom-cache indices (distribution-header frames), or null.</summary>
    public IAtomCacheWriter? Atoms { get; set; }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    /// <summary>The array the written bytes start at (index 0), for a native send.</summary>
    public byte[] Bytes => _buffer;

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    /// <summary>Reserves 4 bytes for a length and returns their position.</summary>
    public int ReserveLength()
    {
        Ensure(4);
        var at = _length;
        _length += 4;
        return at;
    }

    /// <summary>Writes the length of everything after the reserved slot at <paramref name="at"/>.</summary>
    public void CompleteLength(int at) =>
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(at), (uint)(_length - at - 4));

    /// <summary>Drops what was written after <paramref name="length"/> (a frame that failed to encode).</summary>
    public void Truncate(int length) => _length = length;

    /// <summary>Empties the buffer; a buffer grown past 1 MiB by a big message goes back to the pool.</summary>
    public void Reset()
    {
        _length = 0;
        if (_buffer.Length > KeepAtMost)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        }
    }

    private void Ensure(int sizeHint)
    {
        if (sizeHint < 16) sizeHint = 16;
        if (_length + sizeHint <= _buffer.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_length + sizeHint)));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        _length = 0;
        if (b.Length > 0) ArrayPool<byte>.Shared.Return(b);
    }
}
