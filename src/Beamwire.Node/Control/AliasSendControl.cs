using System.Buffers;
using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>
/// A message to a process alias: ALIAS_SEND <c>{33, FromPid, Alias}</c>, ALIAS_SEND_TT
/// <c>{34, FromPid, Alias, Token}</c>. How OTP 24+ replies to gen calls tagged <c>[alias|Ref]</c>.
/// </summary>
internal sealed record AliasSendControl(ControlOp Op, ErlangPid From, ErlangReference Alias) : ControlMessage(Op)
{
    public static AliasSendControl Decode(ControlOp op, ErlangTuple t)
    {
        var traced = op == ControlOp.AliasSendTT;
        ControlShape.Arity(t, traced ? 4 : 3, op);
        return new AliasSendControl(op, ControlShape.Pid(t, 1, op), ControlShape.Reference(t, 2, op)) { TraceToken = traced ? t[3] : null };
    }

    public static void Encode(IBufferWriter<byte> w, ErlangPid from, ErlangReference alias)
    {
        ControlEncoding.TupleHeader(w, 3);
        ControlEncoding.SmallInteger(w, (byte)ControlOp.AliasSend);
        ControlEncoding.Pid(w, from);
        ControlEncoding.Term(w, alias);
    }
}
