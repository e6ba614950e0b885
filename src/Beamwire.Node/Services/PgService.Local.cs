using Beamwire.Node.Groups;
using Beamwire.Terms;

namespace Beamwire.Node.Services;

// The scope's local side: joins and leaves of this node's processes, the membership view, and the
// processes that monitor the scope or one of its groups (pg:monitor_scope/1, pg:monitor/2).
internal sealed partial class PgService
{
    private readonly Dictionary<ErlangReference, ErlangPid> _scopeMonitors = new();
    private readonly Dictionary<ErlangReference, (ErlangPid Pid, ErlangTerm Group)> _groupMonitors = new();

    public IReadOnlyList<ErlangPid> Members(ErlangTerm group)
    {
        lock (_gate) return _groups.Members(group);
    }

    public IReadOnlyList<ErlangPid> LocalMembers(ErlangTerm group)
    {
        lock (_gate) return _groups.LocalMembers(group);
    }

    public IReadOnlyList<ErlangTerm> Groups()
    {
        lock (_gate) return _groups.Groups();
    }

    public IReadOnlyList<ErlangTerm> LocalGroups()
    {
        lock (_gate) return _groups.LocalGroups();
    }

    /// <summary><c>pg:join/3</c> for local pids (checked by the caller): each is monitored, and the join is broadcast.</summary>
    public void Join(ErlangTerm group, IReadOnlyList<ErlangPid> pids, ErlangTerm pidOrPids)
    {
        lock (_gate)
        {
            foreach (var pid in pids)
            {
                if (_local.TryGetValue(pid, out var member)) member.Groups.Add(group);
                else _local[pid] = new LocalMember(_watcher.Watch(pid), [group]);
            }

            _groups.Add(group, pids, local: true);
            Notify(JoinAtom, group, pids);
            Broadcast(new ErlangTuple(JoinAtom, Pid, group, pidOrPids));
        }
    }

    /// <summary><c>pg:leave/3</c>: false (<c>not_joined</c>) when none of the pids was in the group.</summary>
    public bool Leave(ErlangTerm group, IReadOnlyList<ErlangPid> pids, ErlangTerm pidOrPids)
    {
        lock (_gate)
        {
            var left = new List<ErlangPid>();
            foreach (var pid in pids)
            {
                if (!_local.TryGetValue(pid, out var member) || !member.Groups.Remove(group)) continue;
                left.Add(pid);
                if (member.Groups.Count > 0) continue;
                _local.Remove(pid);
                _watcher.Unwatch(member.Monitor);
            }

            if (left.Count == 0) return false;
            _groups.Remove(group, left);
            Notify(LeaveAtom, group, left);
            Broadcast(new ErlangTuple(LeaveAtom, Pid, pidOrPids is ErlangPid ? pidOrPids : new ErlangList([.. left]), new ErlangList(group)));
            return true;
        }
    }

    /// <summary><c>pg:monitor_scope/1</c>: the whole view now, and <c>{Ref, join|leave, Group, Pids}</c> from here on.</summary>
    public (ErlangReference Ref, IReadOnlyDictionary<ErlangTerm, IReadOnlyList<ErlangPid>> Groups) MonitorScope(ErlangPid subscriber)
    {
        lock (_gate)
        {
            var mref = _watcher.Watch(subscriber);
            _scopeMonitors[mref] = subscriber;
            return (mref, _groups.Snapshot());
        }
    }

    /// <summary><c>pg:monitor/2</c>: the group's members now, and its changes from here on.</summary>
    public (ErlangReference Ref, IReadOnlyList<ErlangPid> Members) MonitorGroup(ErlangPid subscriber, ErlangTerm group)
    {
        lock (_gate)
        {
            var mref = _watcher.Watch(subscriber);
            _groupMonitors[mref] = (subscriber, group);
            return (mref, _groups.Members(group));
        }
    }

    /// <summary><c>pg:demonitor/2</c>: false when the reference is no subscription of this scope.</summary>
    public bool Demonitor(ErlangReference subscription)
    {
        lock (_gate)
        {
            if (!RemoveSubscriptionLocked(subscription)) return false;
            _watcher.Unwatch(subscription);
            return true;
        }
    }

    private bool RemoveSubscriptionLocked(ErlangReference subscription) =>
        _scopeMonitors.Remove(subscription) || _groupMonitors.Remove(subscription);

    /// <summary>Tells scope subscribers and those of <paramref name="group"/> (pg's notify_group).</summary>
    private void Notify(ErlangAtom action, ErlangTerm group, IReadOnlyList<ErlangPid> pids)
    {
        if (_scopeMonitors.Count == 0 && _groupMonitors.Count == 0) return;
        var list = new ErlangList([.. pids]);
        foreach (var (mref, pid) in _scopeMonitors) Node.Router.SendNow(Pid, pid, new ErlangTuple(mref, action, group, list));
        foreach (var (mref, (pid, g)) in _groupMonitors)
        {
            if (g.Equals(group)) Node.Router.SendNow(Pid, pid, new ErlangTuple(mref, action, group, list));
        }
    }
}
