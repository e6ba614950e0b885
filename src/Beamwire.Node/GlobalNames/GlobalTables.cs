using Beamwire.Terms;

namespace Beamwire.Node.GlobalNames;

/// <summary>A registered global name: its pid, the conflict resolution method, and the server's monitor of the pid.</summary>
internal sealed record GlobalName(ErlangTerm Name, ErlangPid Pid, ErlangTerm Method, ErlangReference Monitor);

/// <summary>
/// global's tables on this node (what OTP keeps in the <c>global_names</c> and <c>global_locks</c> ets
/// tables): only the global_name_server writes them; the locker, the API and rpc read them from any thread.
/// </summary>
internal sealed class GlobalTables
{
    private readonly object _gate = new();
    private readonly Dictionary<ErlangTerm, GlobalName> _names = new();
    private readonly Dictionary<ErlangPid, ErlangTerm> _nameOfPid = new();
    private readonly Dictionary<ErlangTerm, LockEntry> _locks = new();
    private readonly Dictionary<ErlangReference, object> _byMonitor = new(); // GlobalName or the locked resource id

    /// <summary>A lock on a resource: who asked for it (the LockRequesterId) and the pids holding it.</summary>
    internal sealed class LockEntry(ErlangTerm requester)
    {
        public ErlangTerm Requester { get; } = requester;

        public List<(ErlangPid Pid, ErlangReference Monitor)> Holders { get; } = [];
    }

    public GlobalName? Lookup(ErlangTerm name)
    {
        lock (_gate) return _names.GetValueOrDefault(name);
    }

    public bool HasName(ErlangPid pid)
    {
        lock (_gate) return _nameOfPid.ContainsKey(pid);
    }

    public List<GlobalName> Names()
    {
        lock (_gate) return [.. _names.Values];
    }

    public void AddName(GlobalName entry)
    {
        lock (_gate)
        {
            _names[entry.Name] = entry;
            _nameOfPid[entry.Pid] = entry.Name;
            _byMonitor[entry.Monitor] = entry;
        }
    }

    /// <summary>Removes the name; returns the entry so that the server drops its monitor.</summary>
    public GlobalName? RemoveName(ErlangTerm name)
    {
        lock (_gate)
        {
            if (!_names.Remove(name, out var entry)) return null;
            if (_nameOfPid.TryGetValue(entry.Pid, out var n) && n.Equals(name)) _nameOfPid.Remove(entry.Pid);
            _byMonitor.Remove(entry.Monitor);
            return entry;
        }
    }

    /// <summary>What a monitor of the server watches: a name's pid, or a resource a pid locks.</summary>
    public object? OfMonitor(ErlangReference monitor)
    {
        lock (_gate) return _byMonitor.GetValueOrDefault(monitor);
    }

    // ---- locks --------------------------------------------------------------------------------

    /// <summary>can_set_lock: true when the resource is free or held for the same requester.</summary>
    public bool CanSetLock(ErlangTerm resource, ErlangTerm requester)
    {
        lock (_gate) return !_locks.TryGetValue(resource, out var l) || l.Requester.Equals(requester);
    }

    public bool IsLocked(ErlangTerm resource)
    {
        lock (_gate) return _locks.ContainsKey(resource);
    }

    /// <summary>handle_set_lock: true when set (or already held by the pid); <paramref name="monitor"/> is made only when a holder is added.</summary>
    public bool TrySetLock(ErlangTerm resource, ErlangTerm requester, ErlangPid pid, Func<ErlangPid, ErlangReference> monitor)
    {
        lock (_gate)
        {
            if (_locks.TryGetValue(resource, out var l))
            {
                if (!l.Requester.Equals(requester)) return false;
            }
            else
            {
                _locks[resource] = l = new LockEntry(requester);
            }

            foreach (var h in l.Holders)
            {
                if (h.Pid.Equals(pid)) return true;
            }

            var mref = monitor(pid);
            l.Holders.Add((pid, mref));
            _byMonitor[mref] = resource;
            return true;
        }
    }

    /// <summary>handle_del_lock / a holder's DOWN: removes the pid (matched by pid or by monitor); returns the monitor to drop.</summary>
    public ErlangReference? RemoveHolder(ErlangTerm resource, ErlangTerm? requester, ErlangPid? pid, ErlangReference? byMonitor)
    {
        lock (_gate)
        {
            if (!_locks.TryGetValue(resource, out var l)) return null;
            if (requester is not null && !l.Requester.Equals(requester)) return null;
            var i = l.Holders.FindIndex(h => pid is not null ? h.Pid.Equals(pid) : h.Monitor.Equals(byMonitor));
            if (i < 0) return null;
            var mref = l.Holders[i].Monitor;
            l.Holders.RemoveAt(i);
            _byMonitor.Remove(mref);
            if (l.Holders.Count == 0) _locks.Remove(resource);
            return mref;
        }
    }
}
