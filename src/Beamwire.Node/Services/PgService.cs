using Beamwire.Node.Groups;
using Beamwire.Node.Processes;
using Beamwire.Terms;

namespace Beamwire.Node.Services;

/// <summary>
/// One pg scope (kernel's default <c>pg</c>, or a named one), speaking pg's node-to-node protocol as a
/// BEAM node's scope process does:
/// <list type="bullet">
/// <item>on nodeup (and when the scope starts) it sends <c>{discover, Self}</c> to the scope of the same
/// name on the peer;</item>
/// <item>on <c>{discover, Peer}</c> (or OTP 26's <c>{discover, Peer, Version}</c>) it casts
/// <c>{sync, Self, [{Group, LocalPids}]}</c> back and, for a scope it did not know, monitors it and
/// discovers it in turn;</item>
/// <item>a sync replaces everything known of that peer; <c>{join, Peer, Group, PidOrPids}</c> and
/// <c>{leave, Peer, PidOrPids, Groups}</c> change it; from a scope it does not know they are ignored;</item>
/// <item>local joins and leaves, and the exit of a local member, are broadcast to every known peer.</item>
/// </list>
/// Every change is made under one lock, in the order it arrived, and the messages it causes are sent
/// before the lock is released, so each peer and subscriber sees changes in that order.
/// </summary>
internal sealed partial class PgService : ServiceProcess
{
    private static readonly ErlangAtom DiscoverAtom = ErlangAtom.Get("discover");
    private static readonly ErlangAtom SyncAtom = ErlangAtom.Get("sync");
    private static readonly ErlangAtom JoinAtom = ErlangAtom.Get("join");
    private static readonly ErlangAtom LeaveAtom = ErlangAtom.Get("leave");

    private readonly object _gate = new();
    private readonly PgGroups _groups = new();
    private readonly Dictionary<ErlangPid, LocalMember> _local = new();
    private readonly Dictionary<ErlangPid, RemoteScope> _remote = new();
    private readonly PgWatcher _watcher;

    public PgService(BeamNode node, string scope) : base(node, scope)
    {
        _watcher = new PgWatcher(this);
    }

    /// <summary>Peer scope processes known to this scope.</summary>
    public IReadOnlyList<ErlangPid> Peers
    {
        get
        {
            lock (_gate) return _remote.Keys.ToList();
        }
    }

    /// <summary>Starts the scope's watcher and discovers the scope on every connected visible node (pg's <c>init/1</c>).</summary>
    public void Start(IEnumerable<ErlangAtom> connected)
    {
        Node.SpawnCore(_watcher, null, null, link: false, monitor: false, out _);
        foreach (var node in connected) OnNodeUp(node);
    }

    public void OnNodeUp(ErlangAtom node) =>
        Node.Router.SendNow(Pid, Name, node, new ErlangTuple(DiscoverAtom, Pid));

    /// <summary>
    /// The peer's scope is gone with its node. Its monitor would say so too (DOWN noconnection); doing it
    /// here means that once <see cref="BeamNode.NodeDown"/> is raised, no member of that node is listed.
    /// </summary>
    public void OnNodeDown(ErlangAtom node)
    {
        lock (_gate)
        {
            foreach (var peer in _remote.Keys.Where(p => ReferenceEquals(p.Node, node)).ToList()) DropPeerLocked(peer);
        }
    }

    protected override void Handle(ErlangTerm message)
    {
        if (message is ErlangTuple { Count: 2 or 3 } d && ReferenceEquals(d[0], DiscoverAtom) && d[1] is ErlangPid peer)
        {
            lock (_gate) OnDiscoverLocked(peer);
            return;
        }

        if (GenMessages.TryParseCast(message, out var request) &&
            GenMessages.IsTagged(request, SyncAtom, 3, out var sync) && sync[1] is ErlangPid from &&
            ProcessAtoms.ListElements(sync[2]) is { } groups)
        {
            lock (_gate) OnSyncLocked(from, groups);
            return;
        }

        if (GenMessages.IsTagged(message, JoinAtom, 4, out var join) && join[1] is ErlangPid joiner && PidsOf(join[3]) is { } joined)
        {
            lock (_gate) OnRemoteJoinLocked(joiner, join[2], joined);
            return;
        }

        if (GenMessages.IsTagged(message, LeaveAtom, 4, out var leave) && leave[1] is ErlangPid leaver &&
            PidsOf(leave[2]) is { } left && ProcessAtoms.ListElements(leave[3]) is { } leftGroups)
        {
            lock (_gate) OnRemoteLeaveLocked(leaver, left, leftGroups);
            return;
        }

        ServiceLog.Ignored(Logger, Name.Name, message);
    }

    private void OnDiscoverLocked(ErlangPid peer)
    {
        Node.Router.SendNow(Pid, peer, GenMessages.Cast(new ErlangTuple(SyncAtom, Pid, LocalGroupsTerm())));
        if (_remote.ContainsKey(peer)) return;
        _remote[peer] = new RemoteScope(_watcher.Watch(peer));
        Node.Router.SendNow(Pid, peer, new ErlangTuple(DiscoverAtom, Pid));
    }

    /// <summary>A sync overrides all knowledge of the peer (and makes a peer of a scope not yet known, as pg does).</summary>
    private void OnSyncLocked(ErlangPid peer, ErlangTerm[] groups)
    {
        if (!_remote.TryGetValue(peer, out var scope)) _remote[peer] = scope = new RemoteScope(_watcher.Watch(peer));
        var previous = scope.Groups;
        var next = new Dictionary<ErlangTerm, ErlangPid[]>();
        foreach (var entry in groups)
        {
            if (entry is ErlangTuple { Count: 2 } g && PidsOf(g[1]) is { Length: > 0 } pids) next[g[0]] = pids;
        }

        foreach (var (group, old) in previous)
        {
            if (next.TryGetValue(group, out var now) && now.SequenceEqual(old)) continue;
            _groups.Remove(group, old);
            Notify(LeaveAtom, group, old);
        }

        foreach (var (group, now) in next)
        {
            if (previous.TryGetValue(group, out var old) && old.SequenceEqual(now)) continue;
            _groups.Add(group, now, local: false);
            Notify(JoinAtom, group, now);
        }

        scope.Groups = next;
    }

    private void OnRemoteJoinLocked(ErlangPid peer, ErlangTerm group, ErlangPid[] pids)
    {
        // A join from a scope that left the overlay (its node flickered) or never joined it is dropped.
        if (pids.Length == 0 || !_remote.TryGetValue(peer, out var scope)) return;
        scope.Groups[group] = scope.Groups.TryGetValue(group, out var had) ? [.. pids, .. had] : pids;
        _groups.Add(group, pids, local: false);
        Notify(JoinAtom, group, pids);
    }

    private void OnRemoteLeaveLocked(ErlangPid peer, ErlangPid[] pids, ErlangTerm[] groups)
    {
        if (!_remote.TryGetValue(peer, out var scope)) return;
        foreach (var group in groups)
        {
            if (!scope.Groups.TryGetValue(group, out var had)) continue;
            var left = PgGroups.Subtract(had, pids);
            if (left.Length == 0) scope.Groups.Remove(group);
            else scope.Groups[group] = left;
            _groups.Remove(group, pids);
            Notify(LeaveAtom, group, pids);
        }
    }

    private void DropPeerLocked(ErlangPid peer)
    {
        // Its monitor is not taken off: it has fired, or fires with the nodedown (and then matches nothing).
        if (!_remote.Remove(peer, out var scope)) return;
        foreach (var (group, pids) in scope.Groups)
        {
            _groups.Remove(group, pids);
            Notify(LeaveAtom, group, pids);
        }
    }

    /// <summary>A process the watcher monitors is down: a local member, a peer scope, or a subscriber.</summary>
    internal void OnDown(ErlangReference monitor, ErlangPid pid)
    {
        lock (_gate)
        {
            if (_local.TryGetValue(pid, out var member) && member.Monitor.Equals(monitor))
            {
                _local.Remove(pid);
                ErlangPid[] one = [pid];
                foreach (var group in member.Groups)
                {
                    _groups.Remove(group, one);
                    Notify(LeaveAtom, group, one);
                }

                Broadcast(new ErlangTuple(LeaveAtom, Pid, pid, new ErlangList([.. member.Groups])));
                return;
            }

            if (_remote.TryGetValue(pid, out var scope) && scope.Monitor.Equals(monitor))
            {
                DropPeerLocked(pid);
                return;
            }

            RemoveSubscriptionLocked(monitor);
        }
    }

    /// <summary><c>[{Group, [Pid]}]</c> of the local members, as a sync carries them.</summary>
    private ErlangList LocalGroupsTerm()
    {
        var byGroup = new Dictionary<ErlangTerm, List<ErlangTerm>>();
        foreach (var (pid, member) in _local)
        {
            foreach (var group in member.Groups)
            {
                if (!byGroup.TryGetValue(group, out var pids)) byGroup[group] = pids = [];
                pids.Add(pid);
            }
        }

        return new ErlangList([.. byGroup.Select(g => (ErlangTerm)new ErlangTuple(g.Key, new ErlangList([.. g.Value])))]);
    }

    private void Broadcast(ErlangTuple message)
    {
        foreach (var peer in _remote.Keys) Node.Router.SendNow(Pid, peer, message);
    }

    /// <summary>A pid or a proper list of pids (anything else in the list is skipped); null for any other term.</summary>
    private static ErlangPid[]? PidsOf(ErlangTerm term) => term switch
    {
        ErlangPid pid => [pid],
        _ => ProcessAtoms.ListElements(term)?.OfType<ErlangPid>().ToArray(),
    };

    private sealed record LocalMember(ErlangReference Monitor, List<ErlangTerm> Groups);

    private sealed class RemoteScope(ErlangReference monitor)
    {
        public ErlangReference Monitor { get; } = monitor;

        public Dictionary<ErlangTerm, ErlangPid[]> Groups { get; set; } = new();
    }
}
