using Beamwire.Node.Connection;
using Beamwire.Terms;

namespace Beamwire.Node.Processes;

/// <summary>
/// <c>monitor_node/2</c> and <c>net_kernel:monitor_nodes/1</c>: which processes want <c>{nodedown, Node}</c>
/// for one node (once per call, as Erlang counts them) and which want every <c>nodeup</c>/<c>nodedown</c>.
/// </summary>
internal sealed class NodeMonitors
{
    private readonly object _gate = new();
    private readonly Dictionary<ErlangAtom, List<LocalProcess>> _byNode = new();
    private readonly HashSet<LocalProcess> _all = new(ReferenceEqualityComparer.Instance);
    private readonly ConnectionTable _connections;
    private readonly MessageRouter _router;

    public NodeMonitors(ConnectionTable connections, MessageRouter router)
    {
        _connections = connections;
        _router = router;
    }

    /// <summary>Adds one monitor of <paramref name="node"/>; connects if needed and reports nodedown at once if that fails.</summary>
    public void Add(LocalProcess process, ErlangAtom node)
    {
        if (ReferenceEquals(node, process.Node.SelfAtom)) return; // monitoring yourself never fires
        lock (_gate)
        {
            if (!_byNode.TryGetValue(node, out var list)) _byNode[node] = list = [];
            list.Add(process);
        }

        if (_router.NodeOf(node) is not { } name)
        {
            Fire(process, node);
            return;
        }

        if (_connections.Get(name) is not null) return;
        _ = _connections.ConnectAsync(name).ContinueWith(
            t =>
            {
                if (!t.Result) Fire(process, node);
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Fire(LocalProcess process, ErlangAtom node)
    {
        bool had;
        lock (_gate) had = _byNode.TryGetValue(node, out var list) && list.Remove(process);
        if (had) process.Enqueue(new ErlangTuple(ProcessAtoms.NodeDown, node));
    }

    public void RemoveOne(LocalProcess process, ErlangAtom node)
    {
        lock (_gate)
        {
            if (_byNode.TryGetValue(node, out var list)) list.Remove(process);
        }
    }

    public void SetAll(LocalProcess process, bool enable)
    {
        lock (_gate)
        {
            if (enable) _all.Add(process);
            else _all.Remove(process);
        }
    }

    /// <summary>Forgets an exited process.</summary>
    public void Remove(LocalProcess process)
    {
        lock (_gate)
        {
            _all.Remove(process);
            foreach (var list in _byNode.Values) list.RemoveAll(p => ReferenceEquals(p, process));
        }
    }

    public void OnNodeUp(ErlangAtom node, bool visible)
    {
        if (!visible) return;
        LocalProcess[] all;
        lock (_gate) all = [.. _all];
        foreach (var p in all) p.Enqueue(new ErlangTuple(ProcessAtoms.NodeUp, node));
    }

    public void OnNodeDown(ErlangAtom node, bool visible)
    {
        LocalProcess[] once;
        LocalProcess[] all;
        lock (_gate)
        {
            once = _byNode.Remove(node, out var list) ? [.. list] : [];
            all = visible ? [.. _all] : [];
        }

        var message = new ErlangTuple(ProcessAtoms.NodeDown, node);
        foreach (var p in once) p.Enqueue(message);
        foreach (var p in all) p.Enqueue(message);
    }
}
