using System.Buffers;
using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>SPAWN_REPLY <c>{31, ReqId, To, Flags, Result}</c> (and <c>_TT</c> with a token).</summary>
internal sealed record SpawnReplyControl(ControlOp Op, ErlangReference ReqId, ErlangPid To, ulong Flags, ErlangTerm Result) : ControlMessage(Op)
{
    public static SpawnReplyControl Decode(ControlOp op, ErlangTuple t)
    {
        var traced = op == ControlOp.SpawnReplyTT;
        ControlShape.Arity(t, traced ? 6 : 5, op);
        return new SpawnReplyControl(op, ControlShape.Reference(t, 1, op), ControlShape.Pid(t, 2, op), ControlShape.UnsignedInteger(t, 3, op), t[4])
        {
            TraceToken = traced ? t[5] : null,
        };
    }

    /// <summary>SPAWN_REPLY <c>{31, ReqId, To, Flags, Result}</c>: flag 1 = linked, 2 = monitored; Result is the pid or an error atom.</summary>
    public static void Encode(IBufferWriter<byte> w, ErlangReference reqId, ErlangPid to, ulong flags, ErlangTerm result)
    {
        ControlEncoding.TupleHeader(w, 5);
        ControlEncoding.SmallInteger(w, (byte)ControlOp.SpawnReply);
        ControlEncoding.Term(w, reqId);
        ControlEncoding.Pid(w, to);
        ControlEncoding.UnsignedInteger(w, flags);
        ControlEncoding.Term(w, result);
    }
}
