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
/// which is how a BEAM node joining one member ends up connected to the whole cluster. Because we are
/// not a known member, Erlang's global never tells us of a node that joins the cluster later; so, every
/// <see cref="BeamNodeOptions.ConnectAllInterval"/>, we ask each visible peer's global for its known
/// nodes (the <c>get_known</c> call global answers) and connect to the ones we lack.
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

    private static readonly ErlangAtom GetKnown = ErlangAtom.Get("get_known");

    /// <summary>Polls the peers' global for members that joined after us, until <paramref name="stopping"/>.</summary>
    public async Task PollKnownAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Node.Options.ConnectAllInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                foreach (var peer in Node.Nodes(NodeListKind.Visible))
                {
                    try
                    {
                        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                        limit.CancelAfter(TimeSpan.FromSeconds(5));
                        var known = await Node.CallAsync(_serverName, peer, GetKnown, limit.Token).ConfigureAwait(false);
                        if (known is ErlangList list) ConnectToNodes(peer.Full, list.Elements.ToArray());
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or NodeDownException or BeamNodeException)
                    {
                        // A peer that went away or does not answer: ask the others; the next round retries.
                        if (stopping.IsCancellationRequested) return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Node stopping.
        }
    }

    private void ConnectToKnown(ErlangAtom peer, ErlangTerm initMessage)
    {
        // {locker, no_longer_a_pid, Known, TheLocker}: Known maps node atoms to protocol versions, plus
        // bookkeeping keys ({connection_id, N}, {pending, N}) that are not members.
        if (!GenMessages.IsTagged(initMessage, Locker, 4, out var locker) || locker[2] is not ErlangMap known) return;
        var keys = new ErlangTerm[known.Count];
        for (var i = 0; i < keys.Length; i++) keys[i] = known.Entries[i].Key;
        ConnectToNodes(peer.Name, keys);
    }

    /// <summary>Connects to every node atom (or <c>{Node, Vsn}</c>) in <paramref name="members"/> not connected yet.</summary>
    private void ConnectToNodes(string source, ErlangTerm[] members)
    {
        var toConnect = new List<NodeName>();
        foreach (var member in members)
        {
            var atom = member as ErlangAtom ?? (member as ErlangTuple is { Count: 2 } t ? t[0] as ErlangAtom : null);
            if (atom is null || ReferenceEquals(atom, Node.SelfAtom)) continue;
            if (Node.Router.NodeOf(atom) is { } name && Node.Connections.Get(name) is null) toConnect.Add(name);
        }

        if (toConnect.Count == 0) return;
        ServiceLog.Transitive(Logger, source, toConnect);
        foreach (var n in toConnect) _ = Node.Connections.ConnectAsync(n);
    }
}
