namespace Beamwire.Terms;

/// <summary>An Erlang port identifier (NEW_PORT_EXT, or V4_PORT_EXT when the id needs more than 28 bits).</summary>
public sealed class ErlangPort : ErlangTerm
{
    public ErlangPort(ErlangAtom node, ulong id, uint creation) : base(TermKind.Port)
    {
        ArgumentNullException.ThrowIfNull(node);
        Node = node;
        Id = id;
        Creation = creation;
    }

    public ErlangAtom Node { get; }

    public ulong Id { get; }

    public uint Creation { get; }
}
