using System.Buffers;
using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>
/// SPAWN_REQUEST <c>{29, ReqId, From, GroupLeader, {M, F, A}, OptList}</c> (and <c>_TT</c> with a token),
/// the argument list as payload. Handled by the node's remote spawn (advertised with DFLAG_SPAWN).
/// </summary>
internal sealed record SpawnRequestControl(ControlOp Op, ErlangReference ReqId, ErlangPid From, ErlangTerm GroupLeader, ErlangTerm Mfa, ErlangTerm Options, ErlangTerm Arguments)
    : ControlMessage(Op)
{
    public static SpawnRequestControl Decode(ControlOp op, ErlangTuple t, ErlangTerm? payload)
    {
        var traced = op == ControlOp.SpawnRequestTT;
        ControlShape.Arity(t, traced ? 7 : 6, op);
        return new SpawnRequestControl(op, ControlShape.Reference(t, 1, op), ControlShape.Pid(t, 2, op), t[3], t[4], t[5], ControlShape.Payload(payload, op))
        {
            TraceToken = traced ? t[6] : null,
        };
    }

    /// <summary>SPAWN_REQUEST <c>{29, ReqId, From, GroupLeader, {M, F, Arity}, OptList}</c>; the argument list follows as payload.</summary>
    public static void Encode(IBufferWriter<byte> w, in SpawnRequestEncoding r)
    {
        ControlEncoding.TupleHeader(w, 6);
        ControlEncoding.SmallInteger(w, (byte)ControlOp.SpawnRequest);
        ControlEncoding.Term(w, r.ReqId);
        ControlEncoding.Pid(w, r.From);
        ControlEncoding.Pid(w, r.GroupLeader);
        ControlEncoding.Term(w, new ErlangTuple(r.Module, r.Function, ErlangInteger.Create(r.Arity)));
        ControlEncoding.Term(w, r.Options);
    }
}

/// <summary>What an outgoing SPAWN_REQUEST carries besides its argument list.</summary>
internal readonly record struct SpawnRequestEncoding(
    ErlangReference ReqId, ErlangPid From, ErlangPid GroupLeader, ErlangAtom Module, ErlangAtom Function, int Arity, ErlangList Options);
