using Beamwire.Node.Services;
using Beamwire.Terms;

namespace Beamwire.Node.GlobalNames;

/// <summary>
/// global's locker: when two nodes connect, each side's locker sets the lock <c>{global, [LockerA, LockerB]}</c>
/// on every node of its own partition (plus, when it starts, on the other node), and the two lockers tell
/// each other through their servers (<c>{lock_set, Pid, IsSet, Known, Tag}</c>). With both partitions locked
/// the servers exchange their names; the server cancels the locker when done, which releases the lock. The
/// waiting times are OTP's: 200 ms while this node knows no other, else 1 s + 100 ms per known node (at most 3 s);
/// a locker that hears first from the other side locks at once.
/// </summary>
internal sealed class GlobalLocker : BeamProcess
{
    private sealed record Him(ErlangAtom Node, ErlangPid Locker, int Vsn, ErlangTerm MyTag, ErlangTerm HisTag);

    private readonly GlobalServer _server;
    private readonly List<Him> _local = [];
    private readonly List<Him> _remote = [];
    private readonly List<ErlangAtom> _known = [];
    private ErlangAtom _boss = null!;
    private bool _justSynced;

    public GlobalLocker(GlobalServer server) => _server = server;

    private ErlangAtom SelfAtom => Node.SelfAtom;

    protected override async Task RunAsync()
    {
        _boss = SelfAtom;
        while (true)
        {
            if (!TryReceive(out var message))
            {
                var timeout = _local.Count == 0 && _remote.Count == 0 ? Timeout.InfiniteTimeSpan
                    : _justSynced ? TimeSpan.Zero
                    : _known.Count == 0 ? TimeSpan.FromMilliseconds(200)
                    : TimeSpan.FromMilliseconds(Math.Min(1000 + 100 * _known.Count, 3000));
                _justSynced = false;
                var m = await ReceiveWithin(timeout).ConfigureAwait(false);
                if (m is null)
                {
                    if (!_server.Tables.IsLocked(GlobalAtoms.Global)) await GuardAsync(SelectNodeAsync(), null).ConfigureAwait(false);
                    continue;
                }

                message = m;
            }

            await GuardAsync(HandleAsync(message), message).ConfigureAwait(false);
        }
    }

    /// <summary><c>receive M -> M after Timeout -> null end</c>, waiting out the whole timeout.</summary>
    private async Task<ErlangTerm?> ReceiveWithin(TimeSpan timeout)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            var left = timeout == Timeout.InfiniteTimeSpan ? timeout : timeout - System.Diagnostics.Stopwatch.GetElapsedTime(start);
            if (left != Timeout.InfiniteTimeSpan && left < TimeSpan.Zero) left = TimeSpan.Zero;
            var m = await TryReceiveAsync(null, left).ConfigureAwait(false);
            if (m is not null || left == TimeSpan.Zero) return m;
        }
    }

    private async Task GuardAsync(Task step, ErlangTerm? message)
    {
        try
        {
            await step.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ProcessExitException)
        {
            // A bad message from a peer must not end the locker (the server would be left without one).
            _server.LockerFailed(ex, message);
        }
    }

    private async Task HandleAsync(ErlangTerm message)
    {
        if (message is not ErlangTuple { Count: > 1 } t || t[0] is not ErlangAtom tag) return;
        if (ReferenceEquals(tag, GlobalAtoms.HisTheLocker) && t.Count == 5 && t[1] is ErlangPid his && t[2] is ErlangTuple { Count: 2 } v && v[0] is ErlangInteger vsn)
        {
            var him = new Him(his.Node, his, (int)vsn.Value, t[4], t[3]);
            (IsLocalHost(his.Node) ? _local : _remote).Add(him);
        }
        else if (ReferenceEquals(tag, GlobalAtoms.Cancel) && t.Count == 4 && t[1] is ErlangAtom cnode)
        {
            _server.RunLockerFun(t[3], this);
            if (!ReferenceEquals(t[2], ErlangAtom.Undefined)) RemoveNode(cnode, t[2]);
        }
        else if (ReferenceEquals(tag, GlobalAtoms.LockSet) && t.Count is 4 or 5 && t[1] is ErlangPid pid)
        {
            if (ReferenceEquals(t[2], ErlangAtom.True)) await SpontaneousLockSetAsync(pid, t.Count == 5 ? t[4] : null).ConfigureAwait(false);
        }
        else
        {
            UpdateKnown(t);
        }
    }

    private bool UpdateKnown(ErlangTuple t)
    {
        if (ReferenceEquals(t[0], GlobalAtoms.AddToKnown) && t.Count == 2 && t[1] is ErlangList nodes)
        {
            foreach (var n in nodes.Elements)
            {
                if (n is ErlangAtom a) _known.Insert(0, a);
            }
        }
        else if (ReferenceEquals(t[0], GlobalAtoms.RemoveFromKnown) && t.Count == 2 && t[1] is ErlangAtom gone)
        {
            _known.Remove(gone);
        }
        else
        {
            return false;
        }

        _boss = GlobalCalls.Boss(_known.Append(SelfAtom));
        return true;
    }

    /// <summary>update_locker_known/1: takes the known-node updates already waiting.</summary>
    private void DrainKnownUpdates()
    {
        while (TryReceive(IsKnownUpdate, out var m)) UpdateKnown((ErlangTuple)m);
    }

    private static bool IsKnownUpdate(ErlangTerm m) =>
        m is ErlangTuple { Count: 2 } t && (ReferenceEquals(t[0], GlobalAtoms.AddToKnown) || ReferenceEquals(t[0], GlobalAtoms.RemoveFromKnown));

    private bool IsLocalHost(ErlangAtom node) =>
        Node.Router.NodeOf(node) is { } n && string.Equals(n.Host, Node.Self.Host, StringComparison.Ordinal);

    private void RemoveNode(ErlangAtom node, ErlangTerm myTag)
    {
        _local.RemoveAll(h => ReferenceEquals(h.Node, node) && h.MyTag.Equals(myTag));
        _remote.RemoveAll(h => ReferenceEquals(h.Node, node) && h.MyTag.Equals(myTag));
    }

    private Him? Find(ErlangAtom node) =>
        _local.Find(h => ReferenceEquals(h.Node, node)) ?? _remote.Find(h => ReferenceEquals(h.Node, node));

    private ErlangTuple LockId(ErlangPid his)
    {
        var (a, b) = Pid.CompareTo(his) <= 0 ? (Pid, his) : (his, Pid);
        return new ErlangTuple(GlobalAtoms.Global, new ErlangList(a, b));
    }

    /// <summary>The other side's locker locked its partition first: lock ours now and answer.</summary>
    private async Task SpontaneousLockSetAsync(ErlangPid his, ErlangTerm? myTag)
    {
        var him = Find(his.Node);
        if (him is null || (myTag is not null && !him.MyTag.Equals(myTag)))
        {
            SendLockSet(false, his, ErlangInteger.Create(0));
            return;
        }

        var lockId = LockId(his);
        var isSet = await LockNodesSafelyAsync(lockId, []).ConfigureAwait(false);
        SendLockSet(isSet, his, him.HisTag);
        if (!isSet) return;
        var known2 = _known.Prepend(SelfAtom).ToList();
        _server.CastToSelf(new ErlangTuple(GlobalAtoms.LockIsSet, him.Node, him.MyTag, lockId));
        await WaitCancelLockAsync(him.Node, lockId, him.MyTag, known2).ConfigureAwait(false);
        _justSynced = true;
        RemoveNode(him.Node, him.MyTag);
    }

    /// <summary>select_node: this side starts; local-host candidates are served first.</summary>
    private async Task SelectNodeAsync()
    {
        var useRemote = _local.Count == 0;
        var list = useRemote ? _remote : _local;
        list.RemoveAll(h => _known.Contains(h.Node));
        if (list.Count == 0) return;
        var him = list[Random.Shared.Next(list.Count)];
        var lockId = LockId(him.Locker);
        if (!await LockNodesSafelyAsync(lockId, [him.Node]).ConfigureAwait(false)) return;
        var known1 = new List<ErlangAtom> { SelfAtom, him.Node };
        known1.AddRange(_known);
        SendLockSet(true, him.Locker, him.HisTag);
        await LockIsSetAsync(him, known1, lockId).ConfigureAwait(false);
    }

    private async Task LockIsSetAsync(Him him, List<ErlangAtom> known1, ErlangTuple lockId)
    {
        bool Match(ErlangTerm m) => m is ErlangTuple t &&
            (ReferenceEquals(t[0], GlobalAtoms.LockSet) && t.Count is 4 or 5 && t[1] is ErlangPid p && ReferenceEquals(p.Node, him.Node) ||
             ReferenceEquals(t[0], GlobalAtoms.Cancel) && t.Count == 4 && ReferenceEquals(t[1], him.Node) && t[2].Equals(him.MyTag));
        while (true)
        {
            var m = (ErlangTuple)await ReceiveMatchAsync(this, Match).ConfigureAwait(false);
            if (ReferenceEquals(m[0], GlobalAtoms.Cancel))
            {
                _server.RunLockerFun(m[3], this);
                await GlobalCalls.DeleteGlobalLockAsync(this, lockId, known1).ConfigureAwait(false);
                RemoveNode(him.Node, him.MyTag);
                return;
            }

            var sameSession = m.Count == 4 || m[4].Equals(him.MyTag);
            if (!sameSession) continue; // an answer in an older session
            if (ReferenceEquals(m[2], ErlangAtom.True))
            {
                _server.CastToSelf(new ErlangTuple(GlobalAtoms.LockIsSet, him.Node, him.MyTag, lockId));
                await WaitCancelLockAsync(him.Node, lockId, him.MyTag, known1).ConfigureAwait(false);
                _justSynced = true;
                _local.Remove(him);
                _remote.Remove(him);
            }
            else
            {
                await GlobalCalls.DeleteGlobalLockAsync(this, lockId, known1).ConfigureAwait(false);
            }

            return;
        }
    }

    /// <summary>Holds the lock until the server cancels the session (after its new_nodes are out).</summary>
    private async Task WaitCancelLockAsync(ErlangAtom node, ErlangTuple lockId, ErlangTerm myTag, List<ErlangAtom> known)
    {
        var m = (ErlangTuple)await ReceiveMatchAsync(this, m => m is ErlangTuple { Count: 4 } t && ReferenceEquals(t[0], GlobalAtoms.Cancel) &&
            ReferenceEquals(t[1], node) && t[2].Equals(myTag)).ConfigureAwait(false);
        _server.RunLockerFun(m[3], this);
        await GlobalCalls.DeleteGlobalLockAsync(this, lockId, known).ConfigureAwait(false);
    }

    /// <summary>lock_nodes_safely: the boss first, then this node (and <paramref name="extra"/>), then the rest of the partition.</summary>
    private async Task<bool> LockNodesSafelyAsync(ErlangTuple lockId, List<ErlangAtom> extra)
    {
        var first = new List<ErlangAtom> { _boss };
        if (!ReferenceEquals(_boss, SelfAtom) && !_server.Tables.CanSetLock(lockId[0], lockId[1])) return false;
        if (!await GlobalCalls.SetLockOnNodesAsync(this, _server.Tables, lockId, first).ConfigureAwait(false)) return false;
        DrainKnownUpdates();
        var second = extra.Prepend(SelfAtom).Where(n => !first.Contains(n)).ToList();
        if (!await GlobalCalls.SetLockOnNodesAsync(this, _server.Tables, lockId, second).ConfigureAwait(false))
        {
            await GlobalCalls.DelLockAsync(this, lockId, first).ConfigureAwait(false);
            return false;
        }

        var rest = _known.Where(n => !first.Contains(n)).ToList();
        if (await GlobalCalls.SetLockOnNodesAsync(this, _server.Tables, lockId, rest).ConfigureAwait(false)) return true;
        await GlobalCalls.DelLockAsync(this, lockId, [.. first, .. second]).ConfigureAwait(false);
        return false;
    }

    /// <summary>A selective receive that only ever returns a matching message.</summary>
    internal static async Task<ErlangTerm> ReceiveMatchAsync(LocalProcess self, Func<ErlangTerm, bool> match)
    {
        while (true)
        {
            var m = await self.TryReceiveAsync(match, Timeout.InfiniteTimeSpan).ConfigureAwait(false);
            if (m is not null && match(m)) return m;
        }
    }

    private void SendLockSet(bool isSet, ErlangPid his, ErlangTerm hisTag)
    {
        var known = new ErlangList([.. _known]);
        ErlangTerm message = FindVsn(his.Node) < GlobalAtoms.VerifyConnectVsn
            ? new ErlangTuple(GlobalAtoms.LockSet, Pid, isSet, known)
            : new ErlangTuple(GlobalAtoms.LockSet, Pid, isSet, known, hisTag);
        Send(GlobalAtoms.ServerName.Name, his.Node.Name, GenMessages.Cast(message));
        QueueHandOffs();
    }

    private int FindVsn(ErlangAtom node) => Find(node)?.Vsn ?? GlobalAtoms.Vsn;
}
