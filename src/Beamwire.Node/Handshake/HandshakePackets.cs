using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Beamwire.Node.Handshake;

/// <summary>
/// The handshake's packet framing: each message is a 2-byte big-endian length then the payload
/// (gen_tcp <c>{packet, 2}</c>). Reads consume exactly one packet and leave anything after it in the
/// pipe, so bytes the peer sends right after the handshake reach the connection's frame reader.
/// </summary>
internal sealed class HandshakePackets
{
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;

    public HandshakePackets(IDuplexPipe pipe)
    {
        _reader = pipe.Input;
        _writer = pipe.Output;
    }

    public async ValueTask<byte[]> ReadAsync(string expected, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryTakePacket(ref buffer, out var packet))
            {
                _reader.AdvanceTo(buffer.Start);
                return packet;
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
                throw new HandshakeException($"Connection closed by the peer while waiting for {expected}.");
        }
    }

    private static bool TryTakePacket(ref ReadOnlySequence<byte> buffer, out byte[] packet)
    {
        packet = [];
        if (buffer.Length < 2) return false;
        Span<byte> header = stackalloc byte[2];
        buffer.Slice(0, 2).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header);
        if (buffer.Length < 2 + length) return false;
        packet = buffer.Slice(2, length).ToArray();
        buffer = buffer.Slice(2 + length);
        return true;
    }

    public async ValueTask WriteAsync(byte[] payload, CancellationToken cancellationToken)
    {
        if (payload.Length > ushort.MaxValue) throw new HandshakeException("Handshake message longer than 65535 bytes.");
        var span = _writer.GetSpan(2 + payload.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)payload.Length);
        payload.CopyTo(span[2..]);
        _writer.Advance(2 + payload.Length);
        var flush = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (flush.IsCompleted) throw new HandshakeException("Connection closed by the peer during the handshake.");
    }
}
