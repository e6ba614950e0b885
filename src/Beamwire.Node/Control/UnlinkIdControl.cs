using System.Buffers;
using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>
/// UNLINK_ID <c>{35, Id, FromPid, ToPid}</c> and its acknowledgement UNLINK_ID_ACK
/// <c>{36, Id, FromPid, ToPid}</c>. DFLAG_UNLINK_ID obliges the receiver to acknowledge every
/// UNLINK_ID, whether or not a link existed.
/// </summary>
internal sealed record UnlinkIdControl(ControlOp Op, ulong Id, ErlangPid From, ErlangPid To) : ControlMessage(Op)
{
    public static UnlinkIdControl Decode(ControlOp op, ErlangTuple t)
    {
        ControlShape.Arity(t, 4, op);
        var id = ControlShape.UnsignedInteger(t, 1, op);
        if (id == 0) throw ControlShape.Bad(op, "Id must be in 1..2^64-1");
        return new UnlinkIdControl(op, id, ControlShape.Pid(t, 2, op), ControlShape.Pid(t, 3, op));
    }

    /// <summary>UNLINK_ID_ACK: <paramref name="from"/> is the acknowledging side (the unlinked pid).</summary>
    public static void EncodeAck(IBufferWriter<byte> w, ulong id, ErlangPid from, ErlangPid to)
    {
        ControlEncoding.TupleHeader(w, 4);
        ControlEncoding.SmallInteger(w, (byte)ControlOp.UnlinkIdAck);
        ControlEncoding.UnsignedInteger(w, id);
        ControlEncoding.Pid(w, from);
        ControlEncoding.Pid(w, to);
    }

    /// <summary>UNLINK_ID: <paramref name="from"/> asks <paramref name="to"/> to drop their link.</summary>
    public static void Encode(IBufferWriter<byte> w, ulong id, ErlangPid from, ErlangPid to)
    {
        ControlEncoding.TupleHeader(w, 4);
        ControlEncoding.SmallInteger(w, (byte)ControlOp.UnlinkId);
        ControlEncoding.UnsignedInteger(w, id);
        ControlEncoding.Pid(w, from);
        ControlEncoding.Pid(w, to);
    }
}
