using Beamwire.Node.Processes;
using Beamwire.Terms;

namespace Beamwire.Node;

// Monitors (both ends), aliases and node monitors.
public abstract partial class LocalProcess
{
    private Dictionary<ErlangReference, MonitorEntry>? _monitors; // what this process monitors
    private Dictionary<ErlangReference, Watcher>? _watchers;      // who monitors this process
    private List<ErlangReference>? _aliases;
    private bool _watchesNodes;

    /// <summary>
    /// <c>monitor(process, Pid)</c>: when the process exits (or does not exist, or its node cannot be
    /// reached) this process gets <c>{'DOWN', Ref, process, Pid, Reason}</c>.
    /// </summary>
    public ErlangReference Monitor(ErlangPid target)
    {
        ArgumentNullException.ThrowIfNull(target);
        ThrowIfExited();
        var mref = _node.MakeRef();
        MonitorCore(mref, target, target.Node, target, alias: false);
        return mref;
    }

    /// <summary><c>monitor(process, Name)</c> for a name registered on this node; DOWN names it <c>{Name, Node}</c>.</summary>
    public ErlangReference Monitor(string name) => Monitor(name, _node.SelfAtom.Name);

    /// <summary><c>monitor(process, {Name, Node})</c>: a registered name on any node; DOWN names it <c>{Name, Node}</c>.</summary>
    public ErlangReference Monitor(string name, string node)
    {
        ThrowIfExited();
        var mref = _node.MakeRef();
        MonitorName(mref, ErlangAtom.Get(name), ErlangAtom.Get(node), alias: false);
        return mref;
    }

    /// <summary>
    /// <c>demonitor(Ref)</c> / <c>demonitor(Ref, [flush])</c>: turns the monitor off; with
    /// <paramref name="flush"/> also removes a DOWN for it already in the mailbox. True when it was active.
    /// </summary>
    public bool Demonitor(ErlangReference monitor, bool flush = false)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        MonitorEntry? entry = null;
        lock (_gate)
        {
            if (_monitors is not null && _monitors.Remove(monitor, out var e)) entry = e;
        }

        if (entry is not null)
        {
            if (entry.Alias) RemoveAlias(monitor);
            _node.Signals.SendDemonitor(_pid, entry.Target, entry.Node, monitor);
        }

        if (flush && _life == Alive) Flush(m => ProcessAtoms.IsDownFor(m, monitor));
        return entry is not null;
    }

    /// <summary>The processes monitoring this one (<c>process_info(Pid, monitored_by)</c>).</summary>
    public IReadOnlyList<ErlangPid> MonitoredBy
    {
        get
        {
            lock (_gate) return _watchers is null ? [] : _watchers.Values.Select(w => w.Pid).ToList();
        }
    }

    /// <summary>
    /// <c>alias()</c>: a reference that works as an address of this process (messages sent to it with
    /// <see cref="Send(ErlangReference, ErlangTerm)"/>, from any node, arrive here) until <see cref="RemoveAlias"/>.
    /// </summary>
    public ErlangReference CreateAlias()
    {
        ThrowIfExited();
        var alias = _node.MakeRef();
        lock (_gate) (_aliases ??= []).Add(alias);
        _node.Processes.AddAlias(alias, this);
        return alias;
    }

    /// <summary><c>unalias(Alias)</c>: true when it was an active alias of this process.</summary>
    public bool RemoveAlias(ErlangReference alias)
    {
        lock (_gate)
        {
            if (_aliases is null || !_aliases.Remove(alias)) return false;
        }

        _node.Processes.RemoveAlias(alias);
        return true;
    }

    /// <summary>
    /// <c>monitor(process, Target, [{alias, demonitor}])</c>: the monitor reference is also an alias that
    /// lives until the monitor fires or is removed (how gen calls get their replies).
    /// </summary>
    internal ErlangReference MonitorWithAlias(ErlangTerm target, ErlangAtom node)
    {
        ThrowIfExited();
        var mref = _node.MakeRef();
        lock (_gate) (_aliases ??= []).Add(mref);
        _node.Processes.AddAlias(mref, this);
        if (target is ErlangPid pid) MonitorCore(mref, pid, pid.Node, pid, alias: true);
        else MonitorName(mref, (ErlangAtom)target, node, alias: true);
        return mref;
    }

    private void MonitorName(ErlangReference mref, ErlangAtom name, ErlangAtom node, bool alias)
    {
        var item = new ErlangTuple(name, node);
        if (ReferenceEquals(node, _node.SelfAtom))
        {
            // A local name is looked up now; the monitor then follows that process.
            switch (_node.Processes.Whereis(name))
            {
                case LocalProcess p:
                    MonitorCore(mref, p.Pid, node, item, alias, name);
                    return;
                case null:
                    lock (_gate) (_monitors ??= [])[mref] = new MonitorEntry(name, node, item, alias);
                    OnDown(mref, ErlangAtom.NoProc);
                    return;
                default:
                    return; // a node service: it lives as long as the node
            }
        }

        MonitorCore(mref, name, node, item, alias);
    }

    private void MonitorCore(ErlangReference mref, ErlangTerm target, ErlangAtom node, ErlangTerm item, bool alias, ErlangAtom? localName = null)
    {
        lock (_gate)
        {
            (_monitors ??= [])[mref] = new MonitorEntry(target, node, item, alias);
            NoteRemoteLocked(node);
        }

        _node.Signals.SendMonitor(_pid, target, node, mref, localName);
    }

    /// <summary>A monitor of this process arrived: false when it is gone (the monitor fires <c>noproc</c>).</summary>
    internal bool OnMonitored(ErlangReference mref, ErlangPid watcher, ErlangAtom? byName)
    {
        lock (_gate)
        {
            if (_life != Alive) return false;
            (_watchers ??= [])[mref] = new Watcher(watcher, byName);
            NoteRemoteLocked(watcher.Node);
            return true;
        }
    }

    internal void OnDemonitored(ErlangReference mref)
    {
        lock (_gate) _watchers?.Remove(mref);
    }

    /// <summary>A monitored process went down (or never existed): the DOWN message, if the monitor is still on.</summary>
    internal void OnDown(ErlangReference mref, ErlangTerm reason)
    {
        MonitorEntry? entry;
        lock (_gate)
        {
            if (_monitors is null || !_monitors.Remove(mref, out entry)) return;
        }

        if (entry.Alias) RemoveAlias(mref);
        Enqueue(ProcessAtoms.DownMessage(mref, entry.Item, reason));
    }

    /// <summary>
    /// <c>monitor_node(Node, true)</c>: <c>{nodedown, Node}</c> arrives when the connection goes down, or
    /// at once if it cannot be set up. <c>false</c> removes one such monitor.
    /// </summary>
    public void MonitorNode(string node, bool enable = true)
    {
        ThrowIfExited();
        var atom = ErlangAtom.Get(node);
        if (!enable)
        {
            _node.NodeMonitors.RemoveOne(this, atom);
            return;
        }

        _watchesNodes = true;
        _node.NodeMonitors.Add(this, atom);
    }

    /// <summary><c>net_kernel:monitor_nodes(Flag)</c>: <c>{nodeup, Node}</c> and <c>{nodedown, Node}</c> for every visible node.</summary>
    public void MonitorNodes(bool enable = true)
    {
        ThrowIfExited();
        _watchesNodes |= enable;
        _node.NodeMonitors.SetAll(this, enable);
    }
}

/// <summary>A monitor this process holds: whom it watches (pid or name on <see cref="Node"/>) and how DOWN names it.</summary>
internal sealed record MonitorEntry(ErlangTerm Target, ErlangAtom Node, ErlangTerm Item, bool Alias);

/// <summary>A process monitoring this one, and the name it used (DOWN then carries the name).</summary>
internal readonly record struct Watcher(ErlangPid Pid, ErlangAtom? Name);
