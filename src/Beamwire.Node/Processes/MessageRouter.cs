using System.Collections.Concurrent;
using Beamwire.Node.Connection;
using Beamwire.Terms;

namespace Beamwire.Node.Processes;

/// <summary>
/// Where a sent message goes: a local process's queue, or the connection to the pid's node (connecting
/// on demand, as Erlang's send does). Messages to dead pids, unregistered names or unreachable nodes
/// vanish, as they do in Erlang.
/// </summary>
internal sealed class MessageRouter
{
    private readonly ProcessTable _processes;
    private readonly ConnectionTable _connections;
    private readonly ErlangAtom _self;
    private readonly ConcurrentDictionary<ErlangAtom, NodeName?> _names = new();

    public MessageRouter(ProcessTable processes, ConnectionTable connections, ErlangAtom self)
    {
        _processes = processes;
        _connections = connections;
        _self = self;
    }

    /// <summary>The node name an atom stands for; null when the atom is not a valid node name.</summary>
    public NodeName? NodeOf(ErlangAtom node) =>
        _names.GetOrAdd(node, static a => NodeName.TryParse(a.Name, out var n) ? n : null);

    // ---- synchronous sends: block while the connection is busy (the sender is "suspended") -------
    // Once connected, a send is a lock-free lookup of the peer's connection and an enqueue. It blocks only
    // for back-pressure: while the connection's send queue is over its limit (busy_dist_port), or while
    // more than ConnectionTable.MaxQueuedWhileConnecting messages wait for a connection being set up.
    // The slow paths are methods of their own so that the closures they queue are only allocated there.

    public void Send(ErlangPid from, ErlangPid to, ErlangTerm message)
    {
        if (ReferenceEquals(to.Node, _self))
        {
            _processes.Lookup(to)?.Deliver(message);
            return;
        }

        if (NodeOf(to.Node) is not { } node) return;
        var conn = _connections.Get(node);
        if (conn is null)
        {
            SendWhenConnected(node, from, to, message);
            return;
        }

        WaitWhileBusy(conn);
        conn.SendToPid(from, to, message);
    }

    private void SendWhenConnected(NodeName node, ErlangPid from, ErlangPid to, ErlangTerm message) =>
        RouteWaiting(node, c => c.SendToPid(from, to, message));

    private void SendWhenConnected(NodeName node, ErlangPid from, ErlangAtom name, ErlangTerm message) =>
        RouteWaiting(node, c => c.SendToName(from, name, message));

    public void Send(ErlangPid from, ErlangAtom name, ErlangAtom nodeAtom, ErlangTerm message)
    {
        if (ReferenceEquals(nodeAtom, _self))
        {
            _processes.Whereis(name)?.Deliver(message);
            return;
        }

        if (NodeOf(nodeAtom) is not { } node) return;
        var conn = _connections.Get(node);
        if (conn is null)
        {
            SendWhenConnected(node, from, name, message);
            return;
        }

        WaitWhileBusy(conn);
        conn.SendToName(from, name, message);
    }

    private void RouteWaiting(NodeName node, Action<DistConnection> send)
    {
        // Too many messages already wait for this connection: block like a sender on a busy port.
        while (_connections.Route(node, send) is { } wait) wait.GetAwaiter().GetResult();
    }

    private static void WaitWhileBusy(DistConnection conn)
    {
        // Like an Erlang process suspended on busy_dist_port. Async callers use SendAsync instead.
        if (conn.IsBusy) conn.WaitForCapacityAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    // ---- asynchronous sends: await the connection and the queue's capacity ----------------------

    public async ValueTask SendAsync(ErlangPid from, ErlangPid to, ErlangTerm message, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(to.Node, _self))
        {
            _processes.Lookup(to)?.Deliver(message);
            return;
        }

        var conn = await ConnectionForAsync(to.Node).ConfigureAwait(false);
        if (conn is null) return;
        if (conn.IsBusy) await conn.WaitForCapacityAsync(cancellationToken).ConfigureAwait(false);
        conn.SendToPid(from, to, message);
    }

    public async ValueTask SendAsync(ErlangPid from, ErlangAtom name, ErlangAtom nodeAtom, ErlangTerm message, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(nodeAtom, _self))
        {
            _processes.Whereis(name)?.Deliver(message);
            return;
        }

        var conn = await ConnectionForAsync(nodeAtom).ConfigureAwait(false);
        if (conn is null) return;
        if (conn.IsBusy) await conn.WaitForCapacityAsync(cancellationToken).ConfigureAwait(false);
        conn.SendToName(from, name, message);
    }

    private async ValueTask<DistConnection?> ConnectionForAsync(ErlangAtom nodeAtom)
    {
        if (NodeOf(nodeAtom) is not { } node) return null;
        var conn = _connections.Get(node);
        if (conn is not null) return conn;
        return await _connections.ConnectAsync(node).ConfigureAwait(false) ? _connections.Get(node) : null;
    }

    // ---- forced sends: services replying from a read loop never wait ----------------------------

    /// <summary>Sends without waiting for capacity (replies from services that run on read loops).</summary>
    public void SendNow(ErlangPid from, ErlangPid to, ErlangTerm message)
    {
        if (ReferenceEquals(to.Node, _self))
        {
            _processes.Lookup(to)?.Deliver(message);
            return;
        }

        if (NodeOf(to.Node) is not { } node) return;
        if (_connections.Get(node) is { } conn) conn.SendToPid(from, to, message);
        else QueueNow(node, from, to, message);
    }

    private void QueueNow(NodeName node, ErlangPid from, ErlangPid to, ErlangTerm message) =>
        _connections.Route(node, c => c.SendToPid(from, to, message), force: true);

    private void QueueNow(NodeName node, ErlangPid from, ErlangAtom name, ErlangTerm message) =>
        _connections.Route(node, c => c.SendToName(from, name, message), force: true);

    private void QueueNow(NodeName node, ErlangPid from, ErlangReference alias, ErlangTerm message) =>
        _connections.Route(node, c => c.SendToAlias(from, alias, message), force: true);

    public void SendNow(ErlangPid from, ErlangAtom name, ErlangAtom nodeAtom, ErlangTerm message)
    {
        if (ReferenceEquals(nodeAtom, _self))
        {
            _processes.Whereis(name)?.Deliver(message);
            return;
        }

        if (NodeOf(nodeAtom) is not { } node) return;
        if (_connections.Get(node) is { } conn) conn.SendToName(from, name, message);
        else QueueNow(node, from, name, message);
    }

    /// <summary>Sends to a process alias (the reply path of <c>[alias|Ref]</c> gen call tags).</summary>
    public void SendToAlias(ErlangPid from, ErlangReference alias, ErlangTerm message)
    {
        if (ReferenceEquals(alias.Node, _self))
        {
            _processes.LookupAlias(alias)?.Deliver(message);
            return;
        }

        if (NodeOf(alias.Node) is not { } node) return;
        if (_connections.Get(node) is { } conn) conn.SendToAlias(from, alias, message);
        else QueueNow(node, from, alias, message);
    }
}
