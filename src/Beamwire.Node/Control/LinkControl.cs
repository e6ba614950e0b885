using System.Buffers;
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

    public static void Encode(IBufferWriter<byte> w, ErlangPid from, ErlangPid to)
    {
        ControlEncoding.TupleHeader(w, 3);
        ControlEncoding.SmallInteger(w, (byte)ControlOp.Link);
        ControlEncoding.Pid(w, from);
        ControlEncoding.Pid(w, to);
    }
}
