using System.Buffers.Binary;
using System.Text;

namespace Beamwire.Epmd.Protocol;

/// <summary>Encoders for the requests the client sends; each returns the whole frame, length prefix included.</summary>
internal static class ClientRequests
{
    public static byte[] Alive2(string name, int port, EpmdNodeType type, byte protocol, ushort highest, ushort lowest, ReadOnlySpan<byte> extra)
    {
        var nameLength = Encoding.UTF8.GetByteCount(name);
        ValidateName(name, nameLength);
        if (extra.Length > EpmdCodes.MaxNameBytes)
            throw new ArgumentException($"The extra field is {extra.Length} bytes; epmd accepts at most {EpmdCodes.MaxNameBytes}.", nameof(extra));
        if (port is < 0 or > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(port), port, "A TCP port is 0..65535.");

        var body = 13 + nameLength + extra.Length;
        var frame = new byte[2 + body];
        var s = frame.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(s, (ushort)body);
        s[2] = EpmdCodes.Alive2Req;
        BinaryPrimitives.WriteUInt16BigEndian(s[3..], (ushort)port);
        s[5] = (byte)type;
        s[6] = protocol;
        BinaryPrimitives.WriteUInt16BigEndian(s[7..], highest);
        BinaryPrimitives.WriteUInt16BigEndian(s[9..], lowest);
        BinaryPrimitives.WriteUInt16BigEndian(s[11..], (ushort)nameLength);
        Encoding.UTF8.GetBytes(name, s.Slice(13, nameLength));
        BinaryPrimitives.WriteUInt16BigEndian(s[(13 + nameLength)..], (ushort)extra.Length);
        extra.CopyTo(s[(15 + nameLength)..]);
        return frame;
    }

    public static byte[] Port2(string name)
    {
        var nameLength = Encoding.UTF8.GetByteCount(name);
        ValidateName(name, nameLength);
        return WithName(EpmdCodes.Port2Req, name, nameLength);
    }

    public static byte[] Stop(string name)
    {
        var nameLength = Encoding.UTF8.GetByteCount(name);
        if (nameLength is 0 or > 1000)
            throw new ArgumentException("A name to stop is 1..1000 bytes.", nameof(name));
        return WithName(EpmdCodes.StopReq, name, nameLength);
    }

    /// <summary>The one-byte requests: NAMES, DUMP, KILL.</summary>
    public static byte[] Simple(byte code) => [0, 1, code];

    private static byte[] WithName(byte code, string name, int nameLength)
    {
        var frame = new byte[3 + nameLength];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)(1 + nameLength));
        frame[2] = code;
        Encoding.UTF8.GetBytes(name, frame.AsSpan(3));
        return frame;
    }

    private static void ValidateName(string name, int byteLength)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
            throw new ArgumentException("A node name is not empty.", nameof(name));
        if (byteLength > EpmdCodes.MaxNameBytes || name.Length > EpmdCodes.MaxNameChars)
            throw new ArgumentException($"The node name is longer than epmd's {EpmdCodes.MaxNameChars} characters.", nameof(name));
        if (name.Contains('\0', StringComparison.Ordinal) || name.Contains('@', StringComparison.Ordinal))
            throw new ArgumentException($"'{name}' is not a node name for epmd: give the part before '@', without NUL.", nameof(name));
    }
}
