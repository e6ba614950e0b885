namespace Beamwire.Terms;

/// <summary>An Erlang process identifier (NEW_PID_EXT): node, id, serial and the node's creation.</summary>
public sealed class ErlangPid : ErlangTerm
{
    public ErlangPid(ErlangAtom node, uint id, uint serial, uint creation) : base(TermKind.Pid)
    {
        ArgumentNullException.ThrowIfNull(node);
        Node = node;
        Id = id;
        Serial = serial;
        Creation = creation;
    }

    public ErlangAtom Node { get; }

    public uint Id { get; }

    public uint Serial { get; }

    public uint Creation { get; }
}
