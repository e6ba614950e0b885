using System.Buffers;
using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>
/// <c>exit/2</c> sent to a process: EXIT2 <c>{8, From, To, Reason}</c>, EXIT2_TT <c>{18, From, To, Token, Reason}</c>,
/// PAYLOAD_EXIT2 <c>{26, From, To}</c> and PAYLOAD_EXIT2_TT <c>{27, From, To, Token}</c> with the reason as payload.
/// </summary>
internal sealed record Exit2Control(ControlOp Op, ErlangPid From, ErlangPid To, ErlangTerm Reason) : ControlMessage(Op)
{
    public static Exit2Control Decode(ControlOp op, ErlangTuple t, ErlangTerm? payload)
    {
        var (arity, reason, token) = op switch
        {
            ControlOp.Exit2 => (4, t.Count == 4 ? t[3] : null, (ErlangTerm?)null),
            ControlOp.Exit2TT => (5, t.Count == 5 ? t[4] : null, t.Count == 5 ? t[3] : null),
            ControlOp.PayloadExit2 => (3, ControlShape.Payload(payload, op), null),
            _ => (4, ControlShape.Payload(payload, op), t.Count == 4 ? t[3] : null),
        };
        ControlShape.Arity(t, arity, op);
        return new Exit2Control(op, ControlShape.Pid(t, 1, op), ControlShape.Pid(t, 2, op), reason!) { TraceToken = token };
    }

    /// <summary>PAYLOAD_EXIT2 <c>{26, From, To}</c> (reason as payload) when EXIT_PAYLOAD is in use, else EXIT2 <c>{8, From, To, Reason}</c>.</summary>
    public static void Encode(IBufferWriter<byte> w, ErlangPid from, ErlangPid to, ErlangTerm reason, bool payloadForm)
    {
        ControlEncoding.TupleHeader(w, payloadForm ? 3 : 4);
        ControlEncoding.SmallInteger(w, (byte)(payloadForm ? ControlOp.PayloadExit2 : ControlOp.Exit2));
        ControlEncoding.Pid(w, from);
        ControlEncoding.Pid(w, to);
        if (!payloadForm) ControlEncoding.Term(w, reason);
    }
}
