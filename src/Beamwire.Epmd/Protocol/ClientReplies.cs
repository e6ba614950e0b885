using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Beamwire.Epmd.Protocol;

/// <summary>Decoders for epmd's replies. Every length is checked against the bytes received.</summary>
internal static class ClientReplies
{
    /// <summary>How many bytes an ALIVE2 reply starting with <paramref name="tag"/> has, or -1 for an unknown tag.</summary>
    public static int Alive2ReplyLength(byte tag) => tag switch
    {
        EpmdCodes.Alive2XResp => 6,
        EpmdCodes.Alive2Resp => 4,
        _ => -1,
    };

    /// <summary>Decodes a complete ALIVE2_X_RESP or ALIVE2_RESP into (result, creation).</summary>
    public static (byte Result, uint Creation) Alive2(ReadOnlySpan<byte> reply) => reply[0] == EpmdCodes.Alive2XResp
        ? (reply[1], BinaryPrimitives.ReadUInt32BigEndian(reply[2..]))
        : (reply[1], BinaryPrimitives.ReadUInt16BigEndian(reply[2..]));

    /// <summary>
    /// Decodes a PORT2_RESP read to end of stream: null when the name is not registered.
    /// Throws <see cref="EpmdException"/> (Malformed) for anything else.
    /// </summary>
    public static EpmdNodeInfo? Port2(ReadOnlySpan<byte> reply)
    {
        if (reply.Length < 2 || reply[0] != EpmdCodes.Port2Resp)
            throw Malformed("PORT2_RESP", reply);
        if (reply[1] != 0)
            return null;
        if (reply.Length < 14)
            throw Malformed("PORT2_RESP", reply);
        var port = BinaryPrimitives.ReadUInt16BigEndian(reply[2..]);
        var type = (EpmdNodeType)reply[4];
        var protocol = reply[5];
        var high = BinaryPrimitives.ReadUInt16BigEndian(reply[6..]);
        var low = BinaryPrimitives.ReadUInt16BigEndian(reply[8..]);
        var nameLength = BinaryPrimitives.ReadUInt16BigEndian(reply[10..]);
        if (reply.Length < 14 + nameLength)
            throw Malformed("PORT2_RESP", reply);
        var name = Encoding.UTF8.GetString(reply.Slice(12, nameLength));
        var extraLength = BinaryPrimitives.ReadUInt16BigEndian(reply[(12 + nameLength)..]);
        var extraAt = 14 + nameLength;
        if (reply.Length < extraAt + extraLength)
            throw Malformed("PORT2_RESP", reply);
        var extra = reply.Slice(extraAt, extraLength).ToArray();
        return new EpmdNodeInfo(name, port, type, protocol, high, low, extra);
    }

    /// <summary>
    /// Parses the text of a NAMES reply (after its 4-byte port): lines <c>name N at port P\n</c>.
    /// A line that does not have this shape makes the whole reply malformed.
    /// </summary>
    public static List<EpmdName> Names(ReadOnlySpan<byte> text)
    {
        var names = new List<EpmdName>();
        ReadOnlySpan<byte> prefix = "name "u8;
        ReadOnlySpan<byte> middle = " at port "u8;
        while (!text.IsEmpty)
        {
            var end = text.IndexOf((byte)'\n');
            if (end < 0)
                throw Malformed("NAMES reply (unterminated line)", text);
            var line = text[..end];
            text = text[(end + 1)..];
            var at = line.LastIndexOf(middle);
            if (!line.StartsWith(prefix) || at < prefix.Length
                || !int.TryParse(line[(at + middle.Length)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                throw Malformed("NAMES reply line", line);
            names.Add(new EpmdName(Encoding.UTF8.GetString(line[prefix.Length..at]), port));
        }

        return names;
    }

    public static EpmdException Malformed(string what, ReadOnlySpan<byte> got)
    {
        var shown = got.Length > 32 ? got[..32] : got;
        return new EpmdException(EpmdErrorReason.Malformed,
            $"epmd sent a malformed {what}: {got.Length} bytes ({Convert.ToHexString(shown)}{(got.Length > 32 ? "…" : "")}).");
    }
}
