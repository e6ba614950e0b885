using Beamwire.Terms;

namespace Beamwire.Node.Services;

/// <summary>
/// One pg scope (kernel's default <c>pg</c>, or one an application runs), answering discovery as a BEAM
/// node running the scope does: on <c>{discover, PeerScope}</c> it casts <c>{sync, Self, Groups}</c> back
/// and, the first time, sends its own discover; on nodeup it sends discover to the scope on the new node.
/// This node has no local group members yet, so its sync lists no groups; what peers sync, join and
/// leave is kept per peer scope.
/// </summary>
internal sealed class PgService : ServiceProcess
{
    private static readonly ErlangAtom Discover = ErlangAtom.Get("discover");
    private static readonly ErlangAtom Sync = ErlangAtom.Get("sync");
    private static readonly ErlangAtom Join = ErlangAtom.Get("join");
    private static readonly ErlangAtom Leave = ErlangAtom.Get("leave");
    private readonly object _gate = new();
    private readonly Dictionary<ErlangPid, Dictionary<ErlangTerm, List<ErlangPid>>> _peers = new();

    public PgService(BeamNode node, string scope) : base(node, scope) { }

    /// <summary>Peer scope processes known to this scope.</summary>
    public IReadOnlyList<ErlangPid> Peers
    {
        get
        {
            lock (_gate) return _peers.Keys.ToList();
        }
    }

    /// <summary>Members of <paramref name="group"/> on remote nodes, as peers reported them.</summary>
    public IReadOnlyList<ErlangPid> RemoteMembers(ErlangTerm group)
    {
        lock (_gate) return _peers.Values.SelectMany(g => g.TryGetValue(group, out var pids) ? pids : []).ToList();
    }

    public void OnNodeUp(ErlangAtom node) =>
        Node.Router.SendNow(Pid, Name, node, new ErlangTuple(Discover, Pid));

    public void OnNodeDown(ErlangAtom node)
    {
        lock (_gate)
        {
            foreach (var peer in _peers.Keys.Where(p => ReferenceEquals(p.Node, node)).ToList()) _peers.Remove(peer);
        }
    }

    protected override void Handle(ErlangTerm message)
    {
        if (GenMessages.IsTagged(message, Discover, 2, out var discover) && discover[1] is ErlangPid peer)
        {
            Node.Router.SendNow(Pid, peer, GenMessages.Cast(new ErlangTuple(Sync, Pid, ErlangList.Nil)));
            bool isNew;
            lock (_gate) isNew = _peers.TryAdd(peer, new Dictionary<ErlangTerm, List<ErlangPid>>());
            if (isNew) Node.Router.SendNow(Pid, peer, new ErlangTuple(Discover, Pid));
            return;
        }

        if (GenMessages.TryParseCast(message, out var request) &&
            GenMessages.IsTagged(request, Sync, 3, out var sync) && sync[1] is ErlangPid from && sync[2] is ErlangList groups)
        {
            ApplySync(from, groups);
            return;
        }

        // Plain messages: {join, Peer, Group, PidOrPids} and {leave, Peer, PidOrPids, [Group]}.
        if (GenMessages.IsTagged(message, Join, 4, out var join) && join[1] is ErlangPid joiner)
        {
            ApplyChange(joiner, true, [join[2]], join[3]);
            return;
        }

        if (GenMessages.IsTagged(message, Leave, 4, out var leave) && leave[1] is ErlangPid leaver && leave[3] is ErlangList left)
        {
            ApplyChange(leaver, false, left.Elements.ToArray(), leave[2]);
            return;
        }

        ServiceLog.Ignored(Logger, Name.Name, message);
    }

    private void ApplySync(ErlangPid from, ErlangList groups)
    {
        var table = new Dictionary<ErlangTerm, List<ErlangPid>>();
        foreach (var entry in groups.Elements)
        {
            if (entry is ErlangTuple { Count: 2 } g && g[1] is ErlangList members)
                table[g[0]] = members.Elements.ToArray().OfType<ErlangPid>().ToList();
        }

        lock (_gate) _peers[from] = table;
    }

    private void ApplyChange(ErlangPid peer, bool join, ErlangTerm[] groups, ErlangTerm pidOrPids)
    {
        var changed = pidOrPids switch
        {
            ErlangPid one => [one],
            ErlangList many => many.Elements.ToArray().OfType<ErlangPid>().ToList(),
            _ => new List<ErlangPid>(),
        };
        lock (_gate)
        {
            if (!_peers.TryGetValue(peer, out var table)) return;
            foreach (var g in groups)
            {
                if (!table.TryGetValue(g, out var members)) table[g] = members = [];
                if (join) members.AddRange(changed);
                else members.RemoveAll(changed.Contains);
            }
        }
    }
}
