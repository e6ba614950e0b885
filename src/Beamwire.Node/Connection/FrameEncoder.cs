using Beamwire.Terms;

namespace Beamwire.Node.Connection;

/// <summary>
/// Writes whole distribution frames (length, header, control tuple, payload) into an <see cref="OutboundBuffer"/>:
/// with a distribution header and the atom cache when the peer has DFLAG_DIST_HDR_ATOM_CACHE (every OTP
/// node), else in the pass-through format (each term with its own version byte). One per connection, used
/// under its send lock.
/// </summary>
internal sealed class FrameEncoder : IDisposable
{
    private readonly OutgoingAtomCache? _atoms; // null: the peer takes pass-through frames only
    private readonly OutboundBuffer? _scratch;  // the terms of a frame with a distribution header, before it

    public FrameEncoder(bool distributionHeader)
    {
        if (!distributionHeader) return;
        _atoms = new OutgoingAtomCache();
        _scratch = new OutboundBuffer { Atoms = _atoms };
    }

    /// <summary>Appends one frame; on an exception nothing of it stays in <paramref name="buffer"/> (nor in the atom cache).</summary>
    public void Write<TState>(OutboundBuffer buffer, in TState state, ControlWriter<TState> control, ErlangTerm? payload)
    {
        var start = buffer.Length;
        if (_atoms is { } atoms)
        {
            // The header lists the atoms the terms reference, so the terms are encoded first (into the
            // scratch buffer) and copied in after it.
            var scratch = _scratch!;
            scratch.Reset();
            atoms.Begin();
            try
            {
                control(scratch, state);
                if (payload is not null) TermEncoder.EncodeWithoutVersion(scratch, payload, atoms);
            }
            catch
            {
                atoms.Rollback();
                throw;
            }

            try
            {
                var at = buffer.ReserveLength();
                atoms.WriteHeader(buffer);
                var body = scratch.Written.Span;
                body.CopyTo(buffer.GetSpan(body.Length));
                buffer.Advance(body.Length);
                buffer.CompleteLength(at);
            }
            catch
            {
                buffer.Truncate(start);
                atoms.Rollback();
                throw;
            }

            return;
        }

        try
        {
            var at = buffer.ReserveLength();
            var s = buffer.GetSpan(2);
            s[0] = 112; // pass-through
            s[1] = 131;
            buffer.Advance(2);
            control(buffer, state);
            if (payload is not null)
            {
                buffer.GetSpan(1)[0] = 131;
                buffer.Advance(1);
                TermEncoder.EncodeWithoutVersion(buffer, payload);
            }

            buffer.CompleteLength(at);
        }
        catch
        {
            buffer.Truncate(start);
            throw;
        }
    }

    public void Dispose() => _scratch?.Dispose();
}
