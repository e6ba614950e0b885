using System.Buffers;
using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>
/// A link broke: EXIT <c>{3, From, To, Reason}</c>, EXIT_TT <c>{13, From, To, Token, Reason}</c>,
/// PAYLOAD_EXIT <c>{24, From, To}</c> and PAYLOAD_EXIT_TT <c>{25, From, To, Token}</c> with the reason
/// as payload.
/// </summary>
internal sealed record ExitControl(ControlOp Op, ErlangPid From, ErlangPid To, ErlangTerm Reason) : ControlMessage(Op)
{
    public static ExitControl Decode(ControlOp op, ErlangTuple t, ErlangTerm? payload) => op switch
    {
        ControlOp.Exit => Make(op, t, 4, t.Count == 4 ? t[3] : null, null),
        ControlOp.ExitTT => Make(op, t, 5, t.Count == 5 ? t[4] : null, t.Count == 5 ? t[3] : null),
        ControlOp.PayloadExit => Make(op, t, 3, ControlShape.Payload(payload, op), null),
        _ => Make(op, t, 4, ControlShape.Payload(payload, op), t.Count == 4 ? t[3] : null),
    };

    private static ExitControl Make(ControlOp op, ErlangTuple t, int arity, ErlangTerm? reason, ErlangTerm? token)
    {
        ControlShape.Arity(t, arity, op);
        return new ExitControl(op, ControlShape.Pid(t, 1, op), ControlShape.Pid(t, 2, op), reason!) { TraceToken = token };
    }

    /// <summary>PAYLOAD_EXIT <c>{24, From, To}</c> (the reason follows as payload) when EXIT_PAYLOAD is in use, else EXIT <c>{3, From, To, Reason}</c>.</summary>
    public static void Encode(IBufferWriter<byte> w, ErlangPid from, ErlangPid to, ErlangTerm reason, bool payloadForm)
    {
        ControlEncoding.TupleHeader(w, payloadForm ? 3 : 4);
        ControlEncoding.SmallInteger(w, (byte)(payloadForm ? ControlOp.PayloadExit : ControlOp.Exit));
        ControlEncoding.Pid(w, from);
        ControlEncoding.Pid(w, to);
        if (!payloadForm) ControlEncoding.Term(w, reason);
    }
}
