using System.Buffers.Binary;

namespace Beamwire.Node.Tests.Fuzzing;

/// <summary>Cutting captured byte streams into the packets and frames the protocol defines.</summary>
internal static class WireStreams
{
    /// <summary>The first <paramref name="count"/> handshake packets (2-byte length) of a stream and where they end; fewer if the stream ends.</summary>
    public static List<byte[]> HandshakePackets(ReadOnlySpan<byte> stream, int count, out int end)
    {
        var packets = new List<byte[]>();
        end = 0;
        while (packets.Count < count && stream.Length - end >= 2)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(stream[end..]);
            if (stream.Length - end - 2 < length) break;
            packets.Add(stream.Slice(end + 2, length).ToArray());
            end += 2 + length;
        }

        return packets;
    }

    /// <summary>The distribution frames (4-byte length) of a stream after the handshake, ticks (empty frames) left out.</summary>
    public static List<byte[]> Frames(ReadOnlySpan<byte> stream)
    {
        var frames = new List<byte[]>();
        var at = 0;
        while (stream.Length - at >= 4)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(stream[at..]);
            if ((ulong)(stream.Length - at - 4) < length) break;
            if (length > 0) frames.Add(stream.Slice(at + 4, (int)length).ToArray());
            at += 4 + (int)length;
        }

        return frames;
    }

    /// <summary>Packets framed again with their 2-byte lengths.</summary>
    public static byte[] Join(IEnumerable<byte[]> packets) => Framed(packets, 2);

    /// <summary>Frames with their 4-byte lengths, as the corpus and the harness keep a connection.</summary>
    public static byte[] JoinFrames(IEnumerable<byte[]> frames) => Framed(frames, 4);

    private static byte[] Framed(IEnumerable<byte[]> parts, int lengthBytes)
    {
        var output = new MemoryStream();
        Span<byte> header = stackalloc byte[4];
        foreach (var p in parts)
        {
            if (lengthBytes == 2) BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)p.Length);
            else BinaryPrimitives.WriteUInt32BigEndian(header, (uint)p.Length);
            output.Write(header[..lengthBytes]);
            output.Write(p);
        }

        return output.ToArray();
    }
}
