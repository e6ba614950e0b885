using System.Buffers.Binary;
using Beamwire.Terms;

namespace Beamwire.Node.Connection;

/// <summary>
/// Turns one distribution frame (the bytes after the 4-byte length) into its control message and
/// payload terms. Understands pass-through frames (<c>112, 131 ctl, 131 msg</c>), distribution headers
/// with the atom cache (<c>131,68</c>: terms follow without version bytes) and fragments (<c>131,69</c>
/// and <c>131,70</c>). Everything is length-checked; a bad frame throws and the connection closes.
/// </summary>
internal sealed class FrameDecoder : IDisposable
{
    private const byte PassThrough = 112;
    private const byte VersionMagic = 131;
    private const byte DistHeader = 68;
    private const byte DistFragHeader = 69;
    private const byte DistFragCont = 70;

    private readonly AtomCache _cache = new();
    private readonly AtomRefs _refs = new(255);
    private readonly FragmentAssembler _fragments;
    private readonly TermDecoderOptions _options;

    public FrameDecoder(TermDecoderOptions options, int maxMessageBytes, int maxFragmentSequences)
    {
        _options = options;
        _fragments = new FragmentAssembler(maxMessageBytes, maxFragmentSequences);
    }

    public int OpenFragmentSequences => _fragments.OpenSequences;

    /// <summary>Messages that arrived in more than one fragment and were reassembled.</summary>
    public long ReassembledMessages { get; private set; }

    /// <summary>Atom cache entries the peer has filled.</summary>
    public long AtomCacheEntries => _cache.NewEntries;

    /// <summary>
    /// Decodes a frame. Returns false for a fragment that does not complete a message yet.
    /// <paramref name="payload"/> is null for control messages without one (LINK, MONITOR_P ...).
    /// </summary>
    public bool TryDecode(ReadOnlySpan<byte> frame, out ErlangTerm control, out ErlangTerm? payload)
    {
        control = null!;
        payload = null;
        if (frame.Length < 2) throw new DistributionProtocolException($"A {frame.Length}-byte frame is too short to hold a control message.");
        try
        {
            if (frame[0] == PassThrough)
            {
                (control, payload) = DecodeVersioned(frame[1..]);
                return true;
            }

            if (frame[0] != VersionMagic)
                throw new DistributionProtocolException($"Unknown frame type {frame[0]} (expected 112 or 131).");

            switch (frame[1])
            {
                case DistHeader:
                {
                    DistributionHeader.Read(frame[2..], _cache, _refs, out var used);
                    (control, payload) = DecodeUnversioned(frame[(2 + used)..], _refs);
                    return true;
                }

                case DistFragHeader:
                {
                    if (frame.Length < 18) throw new DistributionProtocolException("Truncated fragment header.");
                    var seq = BinaryPrimitives.ReadUInt64BigEndian(frame[2..]);
                    var frag = BinaryPrimitives.ReadUInt64BigEndian(frame[10..]);
                    DistributionHeader.Read(frame[18..], _cache, _refs, out var used);
                    var body = frame[(18 + used)..];
                    if (frag == 1)
                    {
                        (control, payload) = DecodeUnversioned(body, _refs);
                        return true;
                    }

                    _fragments.Start(seq, frag, _refs.Copy(), body);
                    return false;
                }

                case DistFragCont:
                {
                    if (frame.Length < 18) throw new DistributionProtocolException("Truncated fragment continuation header.");
                    var seq = BinaryPrimitives.ReadUInt64BigEndian(frame[2..]);
                    var frag = BinaryPrimitives.ReadUInt64BigEndian(frame[10..]);
                    if (!_fragments.Continue(seq, frag, frame[18..], out var complete)) return false;
                    ReassembledMessages++;
                    using (complete)
                    {
                        (control, payload) = DecodeUnversioned(complete.Body, complete.Atoms);
                    }

                    return true;
                }

                default:
                    throw new DistributionProtocolException($"Unknown distribution header tag {frame[1]} (expected 68, 69 or 70).");
            }
        }
        catch (TermDecodeException ex)
        {
            throw new DistributionProtocolException($"Malformed term in a distribution frame: {ex.Message}", ex);
        }
    }

    private (ErlangTerm, ErlangTerm?) DecodeVersioned(ReadOnlySpan<byte> body)
    {
        var control = TermDecoder.Decode(body, out var used, _options);
        if (used == body.Length) return (control, null);
        var payload = TermDecoder.Decode(body[used..], out var used2, _options);
        EnsureEnd(body.Length, used + used2);
        return (control, payload);
    }

    private (ErlangTerm, ErlangTerm?) DecodeUnversioned(ReadOnlySpan<byte> body, AtomRefs atoms)
    {
        var control = TermDecoder.DecodeWithoutVersion(body, out var used, _options, atoms);
        if (used == body.Length) return (control, null);
        var payload = TermDecoder.DecodeWithoutVersion(body[used..], out var used2, _options, atoms);
        EnsureEnd(body.Length, used + used2);
        return (control, payload);
    }

    private static void EnsureEnd(int length, int used)
    {
        if (used != length) throw new DistributionProtocolException($"{length - used} stray bytes after the payload of a distribution frame.");
    }

    public void Dispose() => _fragments.Dispose();
}
