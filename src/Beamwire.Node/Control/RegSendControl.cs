using System.Buffers;
using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>
/// A message to a registered name: REG_SEND <c>{6, FromPid, Unused, ToName}</c>, REG_SEND_TT
/// <c>{16, FromPid, Unused, ToName, Token}</c>; the message follows as the payload.
/// </summary>
internal sealed record RegSendControl(ControlOp Op, ErlangPid From, ErlangAtom ToName) : ControlMessage(Op)
{
    public static RegSendControl Decode(ControlOp op, ErlangTuple t)
    {
        var traced = op == ControlOp.RegSendTT;
        ControlShape.Arity(t, traced ? 5 : 4, op);
        return new RegSendControl(op, ControlShape.Pid(t, 1, op), ControlShape.Atom(t, 3, op)) { TraceToken = traced ? t[4] : null };
    }

    public static void Encode(IBufferWriter<byte> w, ErlangPid from, ErlangAtom toName)
    {
        ControlEncoding.TupleHeader(w, 4);
        ControlEncoding.SmallInteger(w, (byte)ControlOp.RegSend);
        ControlEncoding.Pid(w, from);
        ControlEncoding.EmptyAtom(w);
        ControlEncoding.Atom(w, toName);
    }
}
