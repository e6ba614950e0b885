using System.Buffers;
using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>
/// MONITOR_P <c>{19, FromPid, ToProc, Ref}</c> and DEMONITOR_P <c>{20, FromPid, ToProc, Ref}</c>;
/// ToProc is a pid or a registered name.
/// </summary>
internal sealed record MonitorControl(ControlOp Op, ErlangPid From, ErlangTerm Target, ErlangReference Ref) : ControlMessage(Op)
{
    public static MonitorControl Decode(ControlOp op, ErlangTuple t)
    {
        ControlShape.Arity(t, 4, op);
        return new MonitorControl(op, ControlShape.Pid(t, 1, op), ControlShape.PidOrAtom(t, 2, op), ControlShape.Reference(t, 3, op));
    }

    /// <summary>MONITOR_P or DEMONITOR_P from <paramref name="from"/> on a pid or registered name.</summary>
    public static void Encode(IBufferWriter<byte> w, ControlOp op, ErlangPid from, ErlangTerm target, ErlangReference mref)
    {
        ControlEncoding.TupleHeader(w, 4);
        ControlEncoding.SmallInteger(w, (byte)op);
        ControlEncoding.Pid(w, from);
        ControlEncoding.Term(w, target);
        ControlEncoding.Term(w, mref);
    }
}
