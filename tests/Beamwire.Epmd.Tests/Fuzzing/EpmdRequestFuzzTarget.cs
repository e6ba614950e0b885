using Beamwire.Epmd.Daemon;
using Beamwire.Epmd.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beamwire.Epmd.Tests.Fuzzing;

/// <summary>
/// The daemon's side of a request: <see cref="RequestFrame"/> on the bytes as they arrive (every prefix
/// of a request is a step a connection goes through) and <see cref="RequestProcessor"/> on a complete one,
/// against a node table that keeps the registrations the fuzzed requests make (dropped now and then, as
/// their connections close). epmd answers bad requests with silence: nothing may throw at all, and a
/// reply must be one epmd could send. Shared by the fuzz tests and the SharpFuzz harness.
/// </summary>
internal sealed class EpmdRequestFuzzTarget
{
    private readonly NodeTable _table = new(maxUnregistered: 16) { EpmdPort = 4369 };
    private readonly RequestProcessor _strict;
    private readonly RequestProcessor _relaxed;
    private readonly List<Handle> _registered = [];
    private int _fd = 3;

    /// <summary>Complete requests the processor ran.</summary>
    public long Processed { get; private set; }

    /// <summary>Registrations the fuzzed ALIVE2 requests made.</summary>
    public long Registered { get; private set; }

    public EpmdRequestFuzzTarget()
    {
        _strict = new RequestProcessor(_table, relaxedCommandCheck: false, NullLogger.Instance);
        _relaxed = new RequestProcessor(_table, relaxedCommandCheck: true, NullLogger.Instance);
    }

    /// <summary>Runs one request as it arrives (<paramref name="split"/>: where the first read ends); null, or what went wrong.</summary>
    public string? Feed(ReadOnlySpan<byte> frame, int split, int choice)
    {
        try
        {
            // A first read that ends early: the connection waits for more, or refuses the frame already.
            var first = RequestFrame.Check(frame[..Math.Min(split, frame.Length)], out var wantFirst);
            if (first == FrameStatus.NeedMore && wantFirst != 0 && wantFirst < 2) return $"NeedMore asking for {wantFirst} bytes";
            var status = RequestFrame.Check(frame, out var want);
            if (status != FrameStatus.Complete) return null;
            if (want != frame.Length || frame.Length < 3 || frame.Length >= EpmdCodes.InBufferSize) return $"Complete with {frame.Length} bytes, length says {want}";

            var handle = new Handle(_fd++, isLocal: (choice & 1) == 0);
            var outcome = ((choice & 2) == 0 ? _strict : _relaxed).Process(frame[2..], handle);
            Processed++;
            if (outcome.Then == Disposition.Keep)
            {
                if (frame[2] != EpmdCodes.Alive2Req) return $"a connection kept after request {frame[2]}";
                if (outcome.Reply.Length is not (4 or 6)) return $"an ALIVE2 reply of {outcome.Reply.Length} bytes";
                _registered.Add(handle);
                if (outcome.Reply.Span[1] == 0) Registered++;
            }

            if (outcome.Then == Disposition.Kill && frame[2] != EpmdCodes.KillReq) return $"the daemon stopped by request {frame[2]}";
            if ((choice & 4) == 0 && _registered.Count > 0)
            {
                // A registration's connection closes (as the node goes).
                var gone = _registered[choice % _registered.Count];
                _registered.Remove(gone);
                _table.UnregisterOwner(gone);
            }

            if (_registered.Count > 64)
            {
                foreach (var h in _registered) _table.UnregisterOwner(h);
                _registered.Clear();
            }

            return null;
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message}\n{ex}";
        }
    }

    private sealed class Handle(int fd, bool isLocal) : IConnectionHandle
    {
        public int Fd { get; } = fd;

        public bool IsLocal { get; } = isLocal;

        public void Abort()
        {
        }
    }
}
