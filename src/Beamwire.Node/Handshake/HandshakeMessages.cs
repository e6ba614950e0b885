using System.Buffers.Binary;
using System.Text;

namespace Beamwire.Node.Handshake;

/// <summary>send_name: <c>'N' Flags(8) Creation(4) Nlen(2) Name</c>, or the old <c>'n' Version(2) Flags(4) Name</c>.</summary>
internal sealed record NameMessage(DistributionFlags Flags, uint Creation, string Name, bool IsOldFormat);

/// <summary>send_challenge: <c>'N' Flags(8) Challenge(4) Creation(4) Nlen(2) Name</c>.</summary>
internal sealed record ChallengeMessage(DistributionFlags Flags, uint Challenge, uint Creation, string Name);

/// <summary>send_challenge_reply: <c>'r' Challenge(4) Digest(16)</c>.</summary>
internal sealed record ChallengeReplyMessage(uint Challenge, byte[] Digest);

/// <summary>send_complement (only after an old 'n' name): <c>'c' FlagsHigh(4) Creation(4)</c>.</summary>
internal sealed record ComplementMessage(uint FlagsHigh, uint Creation);

/// <summary>
/// Encoders and decoders for the handshake messages (erl_dist_protocol "The Handshake in Detail").
/// Every message here is the payload of one 2-byte length-prefixed packet. Decoders check every length
/// before reading and throw <see cref="HandshakeException"/> naming what was wrong; trailing bytes
/// after the fields are ignored, as the protocol requires.
/// </summary>
internal static class HandshakeMessages
{
    public const byte TagNameNew = (byte)'N';
    public const byte TagNameOld = (byte)'n';
    public const byte TagStatus = (byte)'s';
    public const byte TagChallengeReply = (byte)'r';
    public const byte TagChallengeAck = (byte)'a';
    public const byte TagComplement = (byte)'c';
    public const int DigestLength = 16;

    public static byte[] EncodeName(DistributionFlags flags, uint creation, string name)
    {
        var nameBytes = Encoding.Latin1.GetBytes(name);
        var buf = new byte[1 + 8 + 4 + 2 + nameBytes.Length];
        buf[0] = TagNameNew;
        BinaryPrimitives.WriteUInt64BigEndian(buf.AsSpan(1), (ulong)flags);
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(9), creation);
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(13), checked((ushort)nameBytes.Length));
        nameBytes.CopyTo(buf, 15);
        return buf;
    }

    /// <summary>The old version-5 name message (only OTP 23/24 nodes without epmd send it); kept for tests of acceptance.</summary>
    public static byte[] EncodeOldName(DistributionFlags flags, string name)
    {
        var nameBytes = Encoding.Latin1.GetBytes(name);
        var buf = new byte[1 + 2 + 4 + nameBytes.Length];
        buf[0] = TagNameOld;
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(1), 5);
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(3), (uint)((ulong)flags & 0xFFFF_FFFF));
        nameBytes.CopyTo(buf, 7);
        return buf;
    }

    public static NameMessage DecodeName(ReadOnlySpan<byte> m)
    {
        if (m.Length == 0) throw new HandshakeException("Empty send_name message.");
        if (m[0] == TagNameNew)
        {
            Need(m, 15, "send_name ('N')");
            var flags = (DistributionFlags)BinaryPrimitives.ReadUInt64BigEndian(m[1..]);
            var creation = BinaryPrimitives.ReadUInt32BigEndian(m[9..]);
            int nlen = BinaryPrimitives.ReadUInt16BigEndian(m[13..]);
            Need(m, 15 + nlen, "send_name ('N') node name");
            return new NameMessage(flags, creation, Encoding.Latin1.GetString(m.Slice(15, nlen)), false);
        }

        if (m[0] == TagNameOld)
        {
            Need(m, 7, "send_name ('n')");
            var version = BinaryPrimitives.ReadUInt16BigEndian(m[1..]);
            if (version != 5) throw new HandshakeException($"Old send_name carries version {version}; only 5 is defined.");
            var flags = (DistributionFlags)BinaryPrimitives.ReadUInt32BigEndian(m[3..]);
            return new NameMessage(flags, 0, Encoding.Latin1.GetString(m[7..]), true);
        }

        throw new HandshakeException($"Expected send_name ('N' or 'n'), got tag {m[0]}.");
    }

    public static byte[] EncodeStatus(string status)
    {
        var buf = new byte[1 + status.Length];
        buf[0] = TagStatus;
        Encoding.ASCII.GetBytes(status, buf.AsSpan(1));
        return buf;
    }

    /// <summary>The <c>named:</c> status: the initiator's full dynamic name and the creation we gave it.</summary>
    public static byte[] EncodeNamedStatus(string fullName, uint creation)
    {
        var nameBytes = Encoding.UTF8.GetBytes(fullName);
        var buf = new byte[1 + 6 + 2 + nameBytes.Length + 4];
        buf[0] = TagStatus;
        "named:"u8.CopyTo(buf.AsSpan(1));
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(7), checked((ushort)nameBytes.Length));
        nameBytes.CopyTo(buf, 9);
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(9 + nameBytes.Length), creation);
        return buf;
    }

    /// <summary>Decodes a status; <paramref name="named"/> is set for <c>named:</c> (name, creation).</summary>
    public static HandshakeStatus DecodeStatus(ReadOnlySpan<byte> m, out (string Name, uint Creation)? named)
    {
        named = null;
        if (m.Length == 0 || m[0] != TagStatus) throw new HandshakeException($"Expected a status message ('s'), got {Describe(m)}.");
        var text = m[1..];
        if (text.StartsWith("named:"u8))
        {
            Need(m, 9, "named: status");
            int nlen = BinaryPrimitives.ReadUInt16BigEndian(m[7..]);
            Need(m, 9 + nlen + 4, "named: status name and creation");
            named = (Encoding.UTF8.GetString(m.Slice(9, nlen)), BinaryPrimitives.ReadUInt32BigEndian(m[(9 + nlen)..]));
            return HandshakeStatus.Named;
        }

        return Encoding.ASCII.GetString(text) switch
        {
            "ok" => HandshakeStatus.Ok,
            "ok_simultaneous" => HandshakeStatus.OkSimultaneous,
            "nok" => HandshakeStatus.Nok,
            "not_allowed" => HandshakeStatus.NotAllowed,
            "alive" => HandshakeStatus.Alive,
            "true" => HandshakeStatus.AliveTrue,
            "false" => HandshakeStatus.AliveFalse,
            var other => throw new HandshakeException($"Unknown handshake status '{Printable(other)}'."),
        };
    }

    public static string StatusText(HandshakeStatus status) => status switch
    {
        HandshakeStatus.Ok => "ok",
        HandshakeStatus.OkSimultaneous => "ok_simultaneous",
        HandshakeStatus.Nok => "nok",
        HandshakeStatus.NotAllowed => "not_allowed",
        HandshakeStatus.Alive => "alive",
        HandshakeStatus.AliveTrue => "true",
        HandshakeStatus.AliveFalse => "false",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "named: has its own encoder"),
    };

    public static byte[] EncodeChallenge(DistributionFlags flags, uint challenge, uint creation, string name)
    {
        var nameBytes = Encoding.Latin1.GetBytes(name);
        var buf = new byte[1 + 8 + 4 + 4 + 2 + nameBytes.Length];
        buf[0] = TagNameNew;
        BinaryPrimitives.WriteUInt64BigEndian(buf.AsSpan(1), (ulong)flags);
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(9), challenge);
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(13), creation);
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(17), checked((ushort)nameBytes.Length));
        nameBytes.CopyTo(buf, 19);
        return buf;
    }

    public static ChallengeMessage DecodeChallenge(ReadOnlySpan<byte> m)
    {
        if (m.Length == 0 || m[0] != TagNameNew)
            throw new HandshakeException($"Expected send_challenge ('N'), got {Describe(m)}.");
        Need(m, 19, "send_challenge");
        var flags = (DistributionFlags)BinaryPrimitives.ReadUInt64BigEndian(m[1..]);
        var challenge = BinaryPrimitives.ReadUInt32BigEndian(m[9..]);
        var creation = BinaryPrimitives.ReadUInt32BigEndian(m[13..]);
        int nlen = BinaryPrimitives.ReadUInt16BigEndian(m[17..]);
        Need(m, 19 + nlen, "send_challenge node name");
        return new ChallengeMessage(flags, challenge, creation, Encoding.Latin1.GetString(m.Slice(19, nlen)));
    }

    public static byte[] EncodeComplement(DistributionFlags flags, uint creation)
    {
        var buf = new byte[9];
        buf[0] = TagComplement;
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(1), (uint)((ulong)flags >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(5), creation);
        return buf;
    }

    public static ComplementMessage DecodeComplement(ReadOnlySpan<byte> m)
    {
        if (m.Length == 0 || m[0] != TagComplement)
            throw new HandshakeException($"Expected send_complement ('c'), got {Describe(m)}.");
        Need(m, 9, "send_complement");
        return new ComplementMessage(BinaryPrimitives.ReadUInt32BigEndian(m[1..]), BinaryPrimitives.ReadUInt32BigEndian(m[5..]));
    }

    public static byte[] EncodeChallengeReply(uint challenge, ReadOnlySpan<byte> digest)
    {
        var buf = new byte[1 + 4 + DigestLength];
        buf[0] = TagChallengeReply;
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(1), challenge);
        digest.CopyTo(buf.AsSpan(5));
        return buf;
    }

    public static ChallengeReplyMessage DecodeChallengeReply(ReadOnlySpan<byte> m)
    {
        if (m.Length == 0 || m[0] != TagChallengeReply)
            throw new HandshakeException($"Expected send_challenge_reply ('r'), got {Describe(m)}.");
        if (m.Length != 1 + 4 + DigestLength)
            throw new HandshakeException($"send_challenge_reply must be 21 bytes, got {m.Length}.");
        return new ChallengeReplyMessage(BinaryPrimitives.ReadUInt32BigEndian(m[1..]), m.Slice(5, DigestLength).ToArray());
    }

    public static byte[] EncodeChallengeAck(ReadOnlySpan<byte> digest)
    {
        var buf = new byte[1 + DigestLength];
        buf[0] = TagChallengeAck;
        digest.CopyTo(buf.AsSpan(1));
        return buf;
    }

    public static byte[] DecodeChallengeAck(ReadOnlySpan<byte> m)
    {
        if (m.Length == 0 || m[0] != TagChallengeAck)
            throw new HandshakeException($"Expected send_challenge_ack ('a'), got {Describe(m)}.");
        if (m.Length != 1 + DigestLength)
            throw new HandshakeException($"send_challenge_ack must be 17 bytes, got {m.Length}.");
        return m.Slice(1, DigestLength).ToArray();
    }

    private static void Need(ReadOnlySpan<byte> m, int length, string what)
    {
        if (m.Length < length)
            throw new HandshakeException($"Truncated {what}: need {length} bytes, got {m.Length}.");
    }

    private static string Describe(ReadOnlySpan<byte> m) =>
        m.Length == 0 ? "an empty message" : $"tag {m[0]} ('{Printable(((char)m[0]).ToString())}'), {m.Length} bytes";

    private static string Printable(string s)
    {
        var sb = new StringBuilder(Math.Min(s.Length, 64));
        foreach (var c in s.AsSpan(0, Math.Min(s.Length, 64)))
            sb.Append(c >= ' ' && c <= '~' ? c : '?');
        return sb.ToString();
    }
}
