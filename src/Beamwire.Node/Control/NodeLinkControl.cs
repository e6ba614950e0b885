using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>NODE_LINK <c>{5}</c> (obsolete; nothing to do).</summary>
internal sealed record NodeLinkControl() : ControlMessage(ControlOp.NodeLink)
{
    public static NodeLinkControl Decode(ErlangTuple t)
    {
        ControlShape.Arity(t, 1, ControlOp.NodeLink);
        return new NodeLinkControl();
    }
}
