using Beamwire.Node.Connection;
using Beamwire.Node.Control;
using Beamwire.Terms;

namespace Beamwire.Node.Tests.Fuzzing;

/// <summary>
/// One connection's receive side after the handshake, fed frame after frame as the reader hands them
/// over: <see cref="FrameDecoder"/> (pass-through, distribution header and atom cache, fragments) and
/// <see cref="ControlDecoder"/> (every control message kind). The only failure allowed is
/// <see cref="DistributionProtocolException"/>, which closes a real connection. The session keeps what it
/// was fed so a failure can be replayed. Shared by the fuzz tests and the SharpFuzz harness.
/// </summary>
internal sealed class FrameFuzzTarget : IDisposable
{
    /// <summary>A node's limits, but few atoms per term so a fuzz run does not fill the process's atom table.</summary>
    public static readonly TermDecoderOptions Options = new() { MaxTotalSize = 1 << 20, MaxAtoms = 2 };

    private const int MaxMessage = 1 << 20;
    private const int MaxSequences = 64;

    private readonly List<byte[]> _fed = [];
    private FrameDecoder _decoder = new(Options, MaxMessage, MaxSequences);

    /// <summary>The frames fed since the session began, in order.</summary>
    public IReadOnlyList<byte[]> Fed => _fed;

    /// <summary>Frames that decoded to a control message.</summary>
    public long Decoded { get; private set; }

    /// <summary>Frames refused with <see cref="DistributionProtocolException"/>.</summary>
    public long Refused { get; private set; }

    /// <summary>Starts a new connection (a fresh atom cache, no open fragments).</summary>
    public void Reset()
    {
        _decoder.Dispose();
        _decoder = new FrameDecoder(Options, MaxMessage, MaxSequences);
        _fed.Clear();
    }

    /// <summary>Feeds one frame (the bytes after its 4-byte length) that the caller will not change; null, or what went wrong.</summary>
    public string? Feed(byte[] frame)
    {
        _fed.Add(frame);
        return Decode(frame);
    }

    /// <summary>Feeds one frame from a buffer the caller reuses (the session keeps a copy).</summary>
    public string? Feed(ReadOnlySpan<byte> frame)
    {
        _fed.Add(frame.ToArray());
        return Decode(frame);
    }

    private string? Decode(ReadOnlySpan<byte> frame)
    {
        if (frame.IsEmpty) return null; // a tick: the reader never hands one over
        try
        {
            if (!_decoder.TryDecode(frame, out var control, out var payload)) return null;
            var message = ControlDecoder.Decode(control, payload);
            if (message.Name.Length == 0) return "a control message without a name";
            Decoded++;
            return null;
        }
        catch (DistributionProtocolException)
        {
            Refused++;
            return null;
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message} after {_fed.Count} frames\n{ex}";
        }
    }

    public void Dispose() => _decoder.Dispose();
}
