using Beamwire.Terms;

namespace Beamwire.Node.Services;

/// <summary>
/// <c>global_name_server</c>, as much of it as keeps Erlang peers happy. On nodeup every BEAM node casts
/// <c>{init_connect, {Vsn, Tag}, Node, {locker, _, Known, LockerPid}}</c> here; a node that never answers
/// stays in the peer's resolvers forever and <c>global:sync()</c> there hangs. We answer with
/// <c>{in_sync, OurNode, true}</c> (what global itself sends once two nodes are synced), so the peer
/// counts us as synced. We never become a "known" member of the peer's global partition, so locks and
/// name registration do not wait on us and prevent_overlapping_partitions never disconnects us.
/// With connect_all, the nodes the peer's global knows (the atom keys of <c>Known</c>) are connected to,
/// which is how a BEAM node joining one member ends up connected to the whole cluster.
/// </summary>
internal sealed class GlobalService : ServiceProcess
{
    public const string ServerName = "global_name_server";
    private static readonly ErlangAtom InitConnect = ErlangAtom.Get("init_connect");
    private static readonly ErlangAtom InSync = ErlangAtom.Get("in_sync");
    private static readonly ErlangAtom Locker = ErlangAtom.Get("locker");
    private readonly ErlangAtom _serverName;

    public GlobalService(BeamNode node) : base(node, ServerName) => _serverName = Name;

    protected override void Handle(ErlangTerm message)
    {
        if (GenMessages.TryParseCast(message, out var request) &&
            GenMessages.IsTagged(request, InitConnect, 4, out var init) &&
            init[2] is ErlangAtom peer)
        {
            Node.Router.SendNow(Pid, _serverName, peer, GenMessages.Cast(new ErlangTuple(InSync, Node.SelfAtom, ErlangAtom.True)));
            if (Node.Options.ConnectAll) ConnectToKnown(peer, init[3]);
            return;
        }

        ServiceLog.Ignored(Logger, Name.Name, message);
    }

    private void ConnectToKnown(ErlangAtom peer, ErlangTerm initMessage)
    {
        // {locker, no_longer_a_pid, Known, TheLocker}: Known maps node atoms to protocol versions, plus
        // bookkeeping keys ({connection_id, N}, {pending, N}) that are not members.
        if (!GenMessages.IsTagged(initMessage, Locker, 4, out var locker) || locker[2] is not ErlangMap known) return;
        var toConnect = new List<NodeName>();
        foreach (var (key, _) in known.Entries)
        {
            if (key is not ErlangAtom atom || ReferenceEquals(atom, Node.SelfAtom)) continue;
            if (Node.Router.NodeOf(atom) is { } name && Node.Connections.Get(name) is null) toConnect.Add(name);
        }

        if (toConnect.Count == 0) return;
        ServiceLog.Transitive(Logger, peer.Name, toConnect);
        foreach (var n in toConnect) _ = Node.Connections.ConnectAsync(n);
    }
}
