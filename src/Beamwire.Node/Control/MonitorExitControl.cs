using System.Buffers;
using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>
/// A monitored process went down: MONITOR_P_EXIT <c>{21, FromProc, ToPid, Ref, Reason}</c> and
/// PAYLOAD_MONITOR_P_EXIT <c>{28, FromProc, ToPid, Ref}</c> with the reason as payload.
/// </summary>
internal sealed record MonitorExitControl(ControlOp Op, ErlangTerm Target, ErlangPid To, ErlangReference Ref, ErlangTerm Reason) : ControlMessage(Op)
{
    public static MonitorExitControl Decode(ControlOp op, ErlangTuple t, ErlangTerm? payload)
    {
        var payloadVariant = op == ControlOp.PayloadMonitorPExit;
        ControlShape.Arity(t, payloadVariant ? 4 : 5, op);
        var reason = payloadVariant ? ControlShape.Payload(payload, op) : t[4];
        return new MonitorExitControl(op, ControlShape.PidOrAtom(t, 1, op), ControlShape.Pid(t, 2, op), ControlShape.Reference(t, 3, op), reason);
    }

    /// <summary>
    /// PAYLOAD_MONITOR_P_EXIT <c>{28, FromProc, To, Ref}</c> (reason as payload) when EXIT_PAYLOAD is in use,
    /// else MONITOR_P_EXIT <c>{21, FromProc, To, Ref, Reason}</c>. FromProc is the name when the monitor was by name.
    /// </summary>
    public static void Encode(IBufferWriter<byte> w, ErlangTerm fromProc, ErlangPid to, ErlangReference mref, ErlangTerm reason, bool payloadForm)
    {
        ControlEncoding.TupleHeader(w, payloadForm ? 4 : 5);
        ControlEncoding.SmallInteger(w, (byte)(payloadForm ? ControlOp.PayloadMonitorPExit : ControlOp.MonitorPExit));
        ControlEncoding.Term(w, fromProc);
        ControlEncoding.Pid(w, to);
        ControlEncoding.Term(w, mref);
        if (!payloadForm) ControlEncoding.Term(w, reason);
    }
}
