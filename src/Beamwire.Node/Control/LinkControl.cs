using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>LINK <c>{1, FromPid, ToPid}</c> (links arrive with the process model; until then logged as unhandled).</summary>
internal sealed record LinkControl(ErlangPid From, ErlangPid To) : ControlMessage(ControlOp.Link)
{
    public static LinkControl Decode(ErlangTuple t)
    {
        ControlShape.Arity(t, 3, ControlOp.Link);
        return new LinkControl(ControlShape.Pid(t, 1, ControlOp.Link), ControlShape.Pid(t, 2, ControlOp.Link));
    }
}
