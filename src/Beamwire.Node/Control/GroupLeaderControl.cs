using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>GROUP_LEADER <c>{7, FromPid, ToPid}</c>.</summary>
internal sealed record GroupLeaderControl(ErlangPid From, ErlangPid To) : ControlMessage(ControlOp.GroupLeader)
{
    public static GroupLeaderControl Decode(ErlangTuple t)
    {
        ControlShape.Arity(t, 3, ControlOp.GroupLeader);
        return new GroupLeaderControl(ControlShape.Pid(t, 1, ControlOp.GroupLeader), ControlShape.Pid(t, 2, ControlOp.GroupLeader));
    }
}
