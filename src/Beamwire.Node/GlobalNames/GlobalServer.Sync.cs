using Beamwire.Node.Services;
using Beamwire.Terms;

namespace Beamwire.Node.GlobalNames;

// The connect session between two servers (init_connect .. resolved), new_nodes and in_sync, nodedown.
internal sealed partial class GlobalServer
{
    private enum NodeDownType
    {
        Disconnected,
        RemoveConnection,
        IgnoreNode,
    }

    private void OnNodeUp(ErlangAtom node)
    {
        if (!_connectAll) return;
        lock (_known)
        {
            if (_known.ContainsKey(node)) return; // already known (told of by new_nodes or resolved)
        }

        if (_resolvers.ContainsKey(node)) return; // a session is under way
        var session = SessionFor(node);
        if (session.PreConnect is { } pre)
        {
            // An init_connect that arrived before this nodeup: handle it after ours is out (OTP casts it to itself).
            session.PreConnect = null;
            CastToSelf(pre);
        }

        var myTag = Unique();
        session.MyTag = myTag;
        var locker = new ErlangTuple(GlobalAtoms.Locker, GlobalAtoms.NoLongerAPid, KnownMap(), _locker.Pid);
        CastTo(this, node, new ErlangTuple(GlobalAtoms.InitConnect, new ErlangTuple(ErlangInteger.Create(GlobalAtoms.Vsn), myTag), SelfAtom, locker));
        _resolvers[node] = myTag;
    }

    /// <summary>The known map init_connect carries (node => vsn, {pending, node} => vsn); receivers ignore it.</summary>
    private ErlangMap KnownMap()
    {
        var entries = new List<KeyValuePair<ErlangTerm, ErlangTerm>>();
        lock (_known)
        {
            foreach (var (n, v) in _known) entries.Add(new(n, ErlangInteger.Create(v)));
        }

        foreach (var (n, v) in _pending) entries.Add(new(new ErlangTuple(GlobalAtoms.Pending, n), ErlangInteger.Create(v)));
        return new ErlangMap(entries);
    }

    private void OnInitConnect(ErlangTerm vsnTerm, ErlangAtom node, ErlangTerm initMsg)
    {
        if (vsnTerm is not ErlangTuple { Count: >= 2 } vt || vt[0] is not ErlangInteger hisVsnTerm) return;
        var hisVsn = (int)Math.Min(hisVsnTerm.Value, int.MaxValue);
        var vsn = Math.Min(hisVsn, GlobalAtoms.Vsn);
        var hisTag = vt[1];
        if (_pending.ContainsKey(node))
        {
            // A second connection attempt while one is under way: cancel both and start over.
            if (hisVsn < GlobalAtoms.VerifyConnectVsn)
            {
                if (Node.Router.NodeOf(node) is { } name) Node.Connections.Disconnect(name);
                GlobalLog.OutOfSync(_logger, SelfAtom.Name, hisVsn, node.Name);
                return;
            }

            SendCancelConnectMessage(node, hisTag);
            RestartConnect(node, MyTagOf(node));
        }

        var session = SessionFor(node);
        session.ProtVsn = vsn;
        session.HisTag = hisTag;
        if (_resolvers.TryGetValue(node, out var myTag) && initMsg is ErlangTuple { Count: 4 } im && im[3] is ErlangPid hisLocker)
        {
            Send(_locker.Pid, new ErlangTuple(GlobalAtoms.HisTheLocker, hisLocker, new ErlangTuple(ErlangInteger.Create(vsn), ErlangList.Nil), hisTag, myTag));
            if (hisVsn >= GlobalAtoms.VerifyConnectVsn) VolatileSend(node, new ErlangTuple(GlobalAtoms.InitConnectAck, SelfAtom, hisTag, myTag));
            _pending[node] = hisVsn;
        }
        else
        {
            session.PreConnect = new ErlangTuple(GlobalAtoms.InitConnect, new ErlangTuple(ErlangInteger.Create(vsn), hisTag), node, initMsg);
        }
    }

    private void RestartConnect(ErlangAtom node, ErlangTerm myTag)
    {
        CancelLocker(node, myTag);
        ResetNodeState(node);
        _pending.Remove(node);
        if (myTag is ErlangInteger) OnNodeUp(node);
    }

    private void OnInitConnectAck(ErlangAtom node, ErlangTerm hisMyTag, ErlangTerm hisHisTag)
    {
        var s = SessionOf(node);
        var myTag = s?.MyTag ?? ErlangAtom.Undefined;
        if (myTag.Equals(hisMyTag) && (s?.HisTag ?? ErlangAtom.Undefined).Equals(hisHisTag)) return;
        SendCancelConnectMessage(node, hisHisTag);
        RestartConnect(node, myTag);
    }

    private void OnCancelConnect(ErlangAtom node, ErlangTerm myTag)
    {
        if (!MyTagOf(node).Equals(myTag)) return;
        CancelLocker(node, myTag);
        ResetNodeState(node);
        _pending.Remove(node);
        RestartConnect(node, myTag);
    }

    /// <summary>Our locker holds the lock on our partition and the other's: send our names.</summary>
    private void OnLockIsSet(ErlangAtom node, ErlangTerm myTag, ErlangTerm lockId)
    {
        var s = SessionOf(node);
        if (s is null || !s.MyTag.Equals(myTag))
        {
            CancelLocker(node, myTag);
            return;
        }

        CastTo(this, node, new ErlangTuple(GlobalAtoms.Exchange, SelfAtom, NamesList(), ErlangList.Nil, s.HisTag));
        s.LockId = lockId;
        if (s.WaitingExchange is { } names)
        {
            s.WaitingExchange = null;
            StartResolver(node, s.MyTag, names);
        }
        else
        {
            s.LockIsSet = true;
        }
    }

    private void OnExchange(ErlangAtom node, ErlangTerm names, ErlangTerm myTag)
    {
        var s = SessionOf(node);
        if (s is null || !s.MyTag.Equals(myTag))
        {
            CancelLocker(node, myTag);
            return;
        }

        if (s.LockIsSet)
        {
            s.LockIsSet = false;
            StartResolver(node, s.MyTag, names);
        }
        else
        {
            s.WaitingExchange = names;
        }
    }

    private void OnExchangeOps(ErlangAtom node, ErlangTerm myTag, ErlangTerm ops, ErlangTerm resolvedOps)
    {
        // A resolver whose session was cancelled meanwhile (OTP kills it) is dropped.
        if (!_resolvers.TryGetValue(node, out var rt) || !rt.Equals(myTag)) return;
        var s = SessionOf(node);
        if (s is null || !s.MyTag.Equals(myTag))
        {
            CancelLocker(node, myTag);
            return;
        }

        CastTo(this, node, new ErlangTuple(GlobalAtoms.Resolved, SelfAtom, resolvedOps, KnownList(NodeVsn(node)), GlobalAtoms.Unused, ErlangList.Nil, s.HisTag));
        s.SavedOps = ListOf(ops);
        if (s.SavedResolved is { } saved)
        {
            s.SavedResolved = null;
            Resolved(node, saved[0], saved[1]);
        }
    }

    private void OnResolved(ErlangAtom node, ErlangTerm hisResolved, ErlangTerm hisKnown, ErlangTerm myTag)
    {
        var s = SessionOf(node);
        if (s is null || !s.MyTag.Equals(myTag))
        {
            CancelLocker(node, myTag);
            return;
        }

        if (s.SavedOps is not null) Resolved(node, hisKnown, hisResolved);
        else s.SavedResolved = new ErlangTuple(hisKnown, hisResolved);
    }

    /// <summary>Both sides resolved: apply the name operations, meet the other partition, tell ours of it.</summary>
    private void Resolved(ErlangAtom node, ErlangTerm hisKnown, ErlangTerm hisResolved)
    {
        var s = SessionFor(node);
        var ops = s.SavedOps ?? [];
        ops.AddRange(ListOf(hisResolved));
        List<(ErlangAtom Node, int Vsn)> ourPartition;
        lock (_known) ourPartition = [.. _known.Select(kv => (kv.Key, kv.Value))];
        var newNodes = NodeVsnList(node, hisKnown);
        var hisKnownNodes = newNodes.Skip(1).Select(n => n.Node).ToList();
        SyncOthers(hisKnownNodes);
        var extraInfo = new ErlangList(
            new ErlangTuple(GlobalAtoms.Vsn_, ErlangInteger.Create(s.ProtVsn)),
            new ErlangTuple(GlobalAtoms.Lock, s.LockId));
        DoOps(ops);
        foreach (var other in hisKnownNodes) CancelResolvedLocker(other, null);

        // The locker sends new_nodes before it releases the lock, so that del_lock arrives after them.
        var opsList = new ErlangList([.. ops]);
        var withVsn = new ErlangTuple(GlobalAtoms.NewNodes, SelfAtom, opsList, ErlangList.Nil,
            new ErlangList([.. newNodes.Select(n => (ErlangTerm)new ErlangTuple(n.Node, ErlangInteger.Create(n.Vsn)))]), extraInfo);
        var plain = new ErlangTuple(GlobalAtoms.NewNodes, SelfAtom, opsList, ErlangList.Nil, new ErlangList([.. newNodes.Select(n => (ErlangTerm)n.Node)]), extraInfo);
        CancelResolvedLocker(node, locker =>
        {
            foreach (var (n, v) in ourPartition) CastTo(locker, n, v >= GlobalAtoms.PopVsn ? withVsn : plain);
        });
        var added = AddToKnown(newNodes);
        Send(_locker.Pid, new ErlangTuple(GlobalAtoms.AddToKnown, new ErlangList([.. added])));
        if (!_synced.Contains(node)) _synced.Insert(0, node);
    }

    private void CancelResolvedLocker(ErlangAtom node, Action<LocalProcess>? fun)
    {
        var tag = MyTagOf(node);
        _pending.Remove(node);
        CancelLocker(node, tag, fun);
        ResetNodeState(node);
    }

    private void OnNewNodes(ErlangAtom from, ErlangTerm ops, ErlangTerm nodes)
    {
        var added = AddToKnown(NodeVsnList(null, nodes));
        SyncOthers(added);
        DoOps(ListOf(ops));
        Send(_locker.Pid, new ErlangTuple(GlobalAtoms.AddToKnown, new ErlangList([.. added])));
        _ = from;
    }

    private void OnInSync(ErlangAtom node)
    {
        if (!_synced.Contains(node)) _synced.Insert(0, node);
        _pending.Remove(node);
        CancelLocker(node, MyTagOf(node));
        ResetNodeState(node);
    }

    /// <summary>
    /// sync_others: connect to each node (monitor_node connects) and tell its server we are in sync; a node
    /// that cannot be reached gets an artificial nodedown.
    /// </summary>
    private void SyncOthers(List<ErlangAtom> nodes)
    {
        foreach (var node in nodes)
        {
            if (Node.Router.NodeOf(node) is not { } name) continue;
            var inSync = GenMessages.Cast(new ErlangTuple(GlobalAtoms.InSync, SelfAtom, ErlangAtom.True));
            _ = Node.Connections.ConnectAsync(name).ContinueWith(
                t =>
                {
                    if (t.IsCompletedSuccessfully && t.Result)
                    {
                        Node.Router.SendNow(Pid, GlobalAtoms.ServerName, node, inSync);
                    }
                    else
                    {
                        GlobalLog.FailedToConnect(_logger, SelfAtom.Name, node.Name);
                        Node.Router.SendNow(Pid, Pid, new ErlangTuple(GlobalAtoms.ExtraNodedown, node));
                        QueueHandOffs();
                    }
                },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>add_to_known: the nodes not known before (this node excluded).</summary>
    private List<ErlangAtom> AddToKnown(List<(ErlangAtom Node, int Vsn)> nodes)
    {
        var added = new List<ErlangAtom>();
        lock (_known)
        {
            foreach (var (n, v) in nodes)
            {
                if (ReferenceEquals(n, SelfAtom) || _known.ContainsKey(n)) continue;
                _known[n] = v;
                added.Insert(0, n);
            }
        }

        return added;
    }

    /// <summary>make_node_vsn_list of <c>[Node | HisKnown]</c> (atoms or <c>{Node, Vsn}</c>; vsn 0 means unknown).</summary>
    private List<(ErlangAtom Node, int Vsn)> NodeVsnList(ErlangAtom? first, ErlangTerm list)
    {
        var result = new List<(ErlangAtom, int)>();
        if (first is not null) result.Add((first, NodeVsn(first)));
        foreach (var e in ListOf(list))
        {
            if (e is ErlangAtom a) result.Add((a, NodeVsn(a)));
            else if (e is ErlangTuple { Count: 2 } t && t[0] is ErlangAtom n && t[1] is ErlangInteger v)
                result.Add((n, v.Value == 0 ? NodeVsn(n) : (int)Math.Min(v.Value, int.MaxValue)));
        }

        return result;
    }

    private int NodeVsn(ErlangAtom node)
    {
        if (ReferenceEquals(node, SelfAtom)) return GlobalAtoms.Vsn;
        lock (_known)
        {
            if (_known.TryGetValue(node, out var v)) return v;
        }

        return _pending.GetValueOrDefault(node);
    }

    /// <summary>mk_known_list: known nodes, as <c>{Node, Vsn}</c> for peers of vsn 7 and later.</summary>
    private ErlangList KnownList(int peerVsn)
    {
        lock (_known)
        {
            return peerVsn < GlobalAtoms.PopVsn
                ? new ErlangList([.. _known.Keys])
                : new ErlangList([.. _known.Select(kv => (ErlangTerm)new ErlangTuple(kv.Key, ErlangInteger.Create(kv.Value)))]);
        }
    }

    private static List<ErlangTerm> ListOf(ErlangTerm list) => list is ErlangList l ? [.. l.Elements] : [];

    // ---- nodedown and overlapping partitions ----------------------------------------------------------

    private void HandleNodeDown(ErlangAtom node, NodeDownType type)
    {
        CancelLocker(node, MyTagOf(node));
        Send(_locker.Pid, new ErlangTuple(GlobalAtoms.RemoveFromKnown, node));
        ResetNodeState(node);
        switch (type)
        {
            case NodeDownType.RemoveConnection:
                _removing.Add(node);
                break;
            case NodeDownType.IgnoreNode:
                _removing.Remove(node);
                break;
            default:
                if (!_removing.Remove(node)) InformConnectionLoss(node);
                break;
        }

        _pending.Remove(node);
        lock (_known) _known.Remove(node);
        _synced.Remove(node);
        _resolvers.Remove(node);
    }

    private void InformConnectionLoss(ErlangAtom node)
    {
        if (!_connectAll || !_preventOverlappingPartitions) return;
        var message = new ErlangTuple(GlobalAtoms.LostConnection, SelfAtom,
            ErlangInteger.Create(_creationExtension + Node.Creation), Unique(), node);
        Multicast(message, node);
    }

    /// <summary>gns_volatile_multicast to known and pending nodes of vsn 7 and later, but <paramref name="except"/>.</summary>
    private void Multicast(ErlangTerm message, ErlangAtom except)
    {
        List<ErlangAtom> targets;
        lock (_known) targets = [.. _known.Where(kv => kv.Value >= GlobalAtoms.PopVsn).Select(kv => kv.Key)];
        targets.AddRange(_pending.Where(kv => kv.Value >= GlobalAtoms.PopVsn).Select(kv => kv.Key));
        foreach (var n in targets.Distinct())
        {
            if (!ReferenceEquals(n, except)) VolatileSend(n, message);
        }
    }

    private bool IsPotentiallyKnown(ErlangAtom node)
    {
        lock (_known)
        {
            if (_known.ContainsKey(node)) return true;
        }

        return _pending.ContainsKey(node);
    }

    /// <summary>NodeA lost NodeB: pass it on, and drop NodeB (or NodeA, if we are NodeB) so no node is in two partitions.</summary>
    private void OnLostConnection(ErlangTuple message, ErlangAtom nodeA, ErlangTerm xCreationA, long opIdA, ErlangAtom nodeB)
    {
        if (!_connectAll || !_preventOverlappingPartitions) return;
        var key = (nodeA, nodeB);
        if (_lostConnections.TryGetValue(key, out var seen) && seen.XCreation.Equals(xCreationA) && opIdA <= seen.OpId) return;
        Multicast(message, nodeA);
        _lostConnections[key] = (xCreationA, opIdA);
        var rm = ReferenceEquals(SelfAtom, nodeB) ? nodeA : nodeB;
        if (!IsPotentiallyKnown(rm)) return;
        string what;
        if (NodeVsn(rm) < GlobalAtoms.PopVsn)
        {
            if (Node.Router.NodeOf(rm) is { } name) Node.Connections.Disconnect(name);
            what = "disconnected old";
        }
        else
        {
            VolatileSend(rm, new ErlangTuple(GlobalAtoms.RemoveConnection, SelfAtom));
            what = "requested disconnect from";
        }

        GlobalLog.Overlapping(_logger, SelfAtom.Name, what, rm.Name);
        HandleNodeDown(rm, NodeDownType.RemoveConnection);
    }

    private void OnRemoveConnection(ErlangAtom node)
    {
        if (!IsPotentiallyKnown(node)) return;
        if (Node.Router.NodeOf(node) is { } name) Node.Connections.Disconnect(name);
        HandleNodeDown(node, NodeDownType.RemoveConnection);
        GlobalLog.Overlapping(_logger, SelfAtom.Name, "disconnected", node.Name);
    }
}
