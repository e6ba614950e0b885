using Beamwire.Terms;

namespace Beamwire.Node;

/// <summary>
/// How a GenServer call or cast names its server, as gen_server does: a pid, a name registered on the
/// caller's node, or <c>{Name, Node}</c>.
/// </summary>
public sealed record ServerRef
{
    private ServerRef(ErlangPid? pid, ErlangAtom? name, ErlangAtom? node)
    {
        Pid = pid;
        Name = name;
        NodeAtom = node;
    }

    /// <summary>The server's pid, when addressed by pid.</summary>
    public ErlangPid? Pid { get; }

    /// <summary>The registered name, when addressed by name.</summary>
    public ErlangAtom? Name { get; }

    /// <summary>The node of a <c>{Name, Node}</c> reference (null: the caller's node).</summary>
    public ErlangAtom? NodeAtom { get; }

    public static ServerRef ForPid(ErlangPid pid) => new(pid ?? throw new ArgumentNullException(nameof(pid)), null, null);

    /// <summary>A name registered on the caller's node.</summary>
    public static ServerRef Local(string name) => new(null, ErlangAtom.Get(name), null);

    /// <summary><c>{Name, Node}</c>.</summary>
    public static ServerRef Remote(string name, string node) => new(null, ErlangAtom.Get(name), ErlangAtom.Get(node));

    public static implicit operator ServerRef(ErlangPid pid) => ForPid(pid);

    /// <summary>The term Erlang prints for this reference in exit reasons: Pid, Name or <c>{Name, Node}</c>.</summary>
    public ErlangTerm ToTerm() => Pid is not null ? Pid : NodeAtom is null ? Name! : new ErlangTuple(Name!, NodeAtom);

    public override string ToString() => ToTerm().ToString();
}
