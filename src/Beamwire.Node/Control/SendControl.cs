using System.Buffers;
using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>
/// A message to a pid: SEND <c>{2, Unused, ToPid}</c>, SEND_TT <c>{12, Unused, ToPid, Token}</c>,
/// SEND_SENDER <c>{22, FromPid, ToPid}</c>, SEND_SENDER_TT <c>{23, FromPid, ToPid, Token}</c>. The
/// message follows as the payload.
/// </summary>
internal sealed record SendControl(ControlOp Op, ErlangPid? From, ErlangPid To) : ControlMessage(Op)
{
    public static SendControl Decode(ControlOp op, ErlangTuple t)
    {
        var traced = op is ControlOp.SendTT or ControlOp.SendSenderTT;
        ControlShape.Arity(t, traced ? 4 : 3, op);
        var from = op is ControlOp.SendSender or ControlOp.SendSenderTT ? ControlShape.Pid(t, 1, op) : t[1] as ErlangPid;
        return new SendControl(op, from, ControlShape.Pid(t, 2, op)) { TraceToken = traced ? t[3] : null };
    }

    /// <summary>SEND_SENDER when the peer understands it (DFLAG_SEND_SENDER), else SEND.</summary>
    public static void Encode(IBufferWriter<byte> w, ErlangPid from, ErlangPid to, bool sendSender)
    {
        ControlEncoding.TupleHeader(w, 3);
        if (sendSender)
        {
            ControlEncoding.SmallInteger(w, (byte)ControlOp.SendSender);
            ControlEncoding.Pid(w, from);
        }
        else
        {
            ControlEncoding.SmallInteger(w, (byte)ControlOp.Send);
            ControlEncoding.EmptyAtom(w);
        }

        ControlEncoding.Pid(w, to);
    }
}
