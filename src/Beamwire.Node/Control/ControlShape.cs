using Beamwire.Node.Connection;
using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>Checked access to control tuple elements: a wrong shape is a protocol error, never a cast exception.</summary>
internal static class ControlShape
{
    public static void Arity(ErlangTuple t, int arity, ControlOp op)
    {
        if (t.Count != arity) throw Bad(op, $"arity {t.Count}, expected {arity}");
    }

    public static ErlangPid Pid(ErlangTuple t, int index, ControlOp op) =>
        t[index] as ErlangPid ?? throw Bad(op, $"element {index + 1} is {t[index]}, expected a pid");

    public static ErlangAtom Atom(ErlangTuple t, int index, ControlOp op) =>
        t[index] as ErlangAtom ?? throw Bad(op, $"element {index + 1} is {t[index]}, expected an atom");

    public static ErlangReference Reference(ErlangTuple t, int index, ControlOp op) =>
        t[index] as ErlangReference ?? throw Bad(op, $"element {index + 1} is {t[index]}, expected a reference");

    /// <summary>A pid or a registered name (MONITOR_P's target).</summary>
    public static ErlangTerm PidOrAtom(ErlangTuple t, int index, ControlOp op) =>
        t[index] is ErlangPid or ErlangAtom ? t[index] : throw Bad(op, $"element {index + 1} is {t[index]}, expected a pid or an atom");

    public static ulong UnsignedInteger(ErlangTuple t, int index, ControlOp op) => t[index] switch
    {
        ErlangInteger { Value: >= 0 } i => (ulong)i.Value,
        ErlangBigInteger b when b.Value.Sign >= 0 && b.Value <= ulong.MaxValue => (ulong)b.Value,
        var other => throw Bad(op, $"element {index + 1} is {other}, expected a non-negative integer"),
    };

    public static ErlangTerm Payload(ErlangTerm? payload, ControlOp op) =>
        payload ?? throw Bad(op, "the message (payload) is missing");

    public static DistributionProtocolException Bad(ControlOp op, string what) =>
        new($"Malformed control message {op} ({(int)op}): {what}.");
}
