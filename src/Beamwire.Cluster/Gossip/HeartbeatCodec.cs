using System.Buffers.Binary;
using System.Text;

namespace Beamwire.Cluster.Gossip;

/// <summary>Why a gossip datagram was ignored (the reason tag of <c>beamwire.cluster.gossip.dropped</c>).</summary>
public enum HeartbeatDrop
{
    None,
    Oversized,
    NotHeartbeat,
    Malformed,
    BadName,
    Decryption,
    Replay,
    Cap,
}

/// <summary>
/// libcluster's heartbeat, <c>"heartbeat::" &lt;&gt; :erlang.term_to_binary(%{node: node()})</c>. Encoding writes
/// what OTP 26+ writes (SMALL_ATOM_UTF8); decoding takes ATOM_EXT, SMALL_ATOM_EXT and both UTF-8 atom
/// tags, tolerates extra keys with small plain values, and is bounded: it reads only what the datagram
/// holds, allocates nothing from a claimed length, creates no atom, and gives the name as a string.
/// </summary>
public static class HeartbeatCodec
{
    /// <summary>The largest datagram looked at; a heartbeat of a 255-byte name is under 300 bytes.</summary>
    public const int MaxDatagram = 1024;

    private const int MaxPairs = 16;
    private const int MaxDepth = 4;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static ReadOnlySpan<byte> Prefix => "heartbeat::"u8;

    /// <summary>Writes the plaintext heartbeat for <paramref name="node"/>; returns its length.</summary>
    public static int Encode(string node, Span<byte> destination)
    {
        var nameLen = Encoding.UTF8.GetByteCount(node);
        if (nameLen > 255) throw new ArgumentException("a node name is at most 255 bytes", nameof(node));
        var w = 0;
        Prefix.CopyTo(destination);
        w += Prefix.Length;
        destination[w++] = 131;
        destination[w++] = 116; // MAP_EXT
        BinaryPrimitives.WriteUInt32BigEndian(destination[w..], 1);
        w += 4;
        destination[w++] = 119; // SMALL_ATOM_UTF8_EXT
        destination[w++] = 4;
        "node"u8.CopyTo(destination[w..]);
        w += 4;
        destination[w++] = 119;
        destination[w++] = (byte)nameLen;
        w += Encoding.UTF8.GetBytes(node, destination[w..]);
        return w;
    }

    public static byte[] Encode(string node)
    {
        Span<byte> buf = stackalloc byte[Prefix.Length + 16 + 256];
        return buf[..Encode(node, buf)].ToArray();
    }

    /// <summary>Reads the node name of a plaintext heartbeat.</summary>
    public static HeartbeatDrop TryDecode(ReadOnlySpan<byte> data, out string? node)
    {
        node = null;
        if (data.Length > MaxDatagram) return HeartbeatDrop.Oversized;
        if (!data.StartsWith(Prefix)) return HeartbeatDrop.NotHeartbeat;
        var r = new Reader(data[Prefix.Length..]);
        if (!r.Byte(out var version) || version != 131) return HeartbeatDrop.Malformed;
        if (!r.Byte(out var tag) || tag != 116 || !r.UInt32(out var pairs) || pairs > MaxPairs) return HeartbeatDrop.Malformed;
        for (var i = 0u; i < pairs; i++)
        {
            if (!r.Atom(out var key)) return HeartbeatDrop.Malformed;
            if (key.SequenceEqual("node"u8))
            {
                if (!r.AtomTag(out var latin1, out var name)) return HeartbeatDrop.Malformed; // libcluster: `when is_atom(n)`
                if (node is not null) return HeartbeatDrop.Malformed;
                node = latin1 ? Encoding.Latin1.GetString(name) : Utf8(name);
                if (node is null) return HeartbeatDrop.Malformed;
            }
            else if (!r.Skip(0))
            {
                return HeartbeatDrop.Malformed;
            }
        }

        if (!r.AtEnd) return HeartbeatDrop.Malformed;
        if (node is null) return HeartbeatDrop.Malformed;
        if (!Beamwire.Node.NodeName.TryParse(node, out _)) { node = null; return HeartbeatDrop.BadName; }
        return HeartbeatDrop.None;
    }

    private static string? Utf8(ReadOnlySpan<byte> b)
    {
        try { return StrictUtf8.GetString(b); }
        catch (DecoderFallbackException) { return null; }
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _pos;

        public readonly bool AtEnd => _pos == _data.Length;

        public bool Byte(out byte b)
        {
            if (_pos >= _data.Length) { b = 0; return false; }
            b = _data[_pos++];
            return true;
        }

        public bool UInt32(out uint v)
        {
            if (_data.Length - _pos < 4) { v = 0; return false; }
            v = BinaryPrimitives.ReadUInt32BigEndian(_data[_pos..]);
            _pos += 4;
            return true;
        }

        private bool Bytes(int n, out ReadOnlySpan<byte> b)
        {
            if (n < 0 || _data.Length - _pos < n) { b = default; return false; }
            b = _data.Slice(_pos, n);
            _pos += n;
            return true;
        }

        public bool Atom(out ReadOnlySpan<byte> name) => AtomTag(out _, out name);

        public bool AtomTag(out bool latin1, out ReadOnlySpan<byte> name)
        {
            latin1 = false;
            name = default;
            if (!Byte(out var tag)) return false;
            switch (tag)
            {
                case 100 or 118: // ATOM_EXT (Latin-1), ATOM_UTF8_EXT: 2-byte length
                    if (_data.Length - _pos < 2) return false;
                    var len = BinaryPrimitives.ReadUInt16BigEndian(_data[_pos..]);
                    _pos += 2;
                    latin1 = tag == 100;
                    return len <= 255 * 4 && Bytes(len, out name);
                case 115 or 119: // SMALL_ATOM_EXT (Latin-1), SMALL_ATOM_UTF8_EXT: 1-byte length
                    if (!Byte(out var small)) return false;
                    latin1 = tag == 115;
                    return Bytes(small, out name);
                default:
                    return false;
            }
        }

        /// <summary>Skips one small plain term (atom, integer, binary, string, nil, tuple of those).</summary>
        public bool Skip(int depth)
        {
            if (depth > MaxDepth || _pos >= _data.Length) return false;
            var tag = _data[_pos];
            switch (tag)
            {
                case 100 or 118 or 115 or 119:
                    return Atom(out _);
                case 97: _pos++; return Bytes(1, out _);
                case 98: _pos++; return Bytes(4, out _);
                case 106: _pos++; return true;
                case 107:
                    _pos++;
                    if (_data.Length - _pos < 2) return false;
                    var slen = BinaryPrimitives.ReadUInt16BigEndian(_data[_pos..]);
                    _pos += 2;
                    return Bytes(slen, out _);
                case 109:
                    _pos++;
                    if (!UInt32(out var blen) || blen > MaxDatagram) return false;
                    return Bytes((int)blen, out _);
                case 104:
                    _pos++;
                    if (!Byte(out var arity)) return false;
                    for (var i = 0; i < arity; i++)
                        if (!Skip(depth + 1)) return false;
                    return true;
                default:
                    return false;
            }
        }
    }
}
