using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>The obsolete UNLINK <c>{4, FromPid, ToPid}</c> (pre-OTP 26 link protocol).</summary>
internal sealed record UnlinkControl(ErlangPid From, ErlangPid To) : ControlMessage(ControlOp.Unlink)
{
    public static UnlinkControl Decode(ErlangTuple t)
    {
        ControlShape.Arity(t, 3, ControlOp.Unlink);
        return new UnlinkControl(ControlShape.Pid(t, 1, ControlOp.Unlink), ControlShape.Pid(t, 2, ControlOp.Unlink));
    }
}
