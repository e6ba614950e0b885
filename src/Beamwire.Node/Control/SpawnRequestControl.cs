using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>
/// SPAWN_REQUEST <c>{29, ReqId, From, GroupLeader, {M, F, A}, OptList}</c> (and <c>_TT</c> with a token),
/// the argument list as payload. Beamwire does not advertise DFLAG_SPAWN yet, so peers should not send it.
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
}
