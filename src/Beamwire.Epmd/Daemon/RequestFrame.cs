using System.Buffers.Binary;
using Beamwire.Epmd.Protocol;

namespace Beamwire.Epmd.Daemon;

/// <summary>Where a request's bytes stand, by epmd's framing rules.</summary>
internal enum FrameStatus
{
    NeedMore,
    Complete,
    BadLength,
    Trailing,
}

/// <summary>
/// epmd's framing: a 2-byte big-endian length, then 1..3057 bytes of request, and nothing after it
/// (one request per connection). Lengths are checked before any byte of the body is awaited.
/// </summary>
internal static class RequestFrame
{
    /// <summary>The most a read may ask for while the length is unknown (epmd's buffer less its NUL).</summary>
    public const int FirstReadLimit = EpmdCodes.InBufferSize - 1;

    public static FrameStatus Check(ReadOnlySpan<byte> received, out int want)
    {
        want = 0;
        if (received.Length < 2)
            return FrameStatus.NeedMore;
        want = BinaryPrimitives.ReadUInt16BigEndian(received) + 2;
        if (want < 3 || want >= EpmdCodes.InBufferSize)
            return FrameStatus.BadLength;
        if (received.Length > want)
            return FrameStatus.Trailing;
        return received.Length == want ? FrameStatus.Complete : FrameStatus.NeedMore;
    }
}
