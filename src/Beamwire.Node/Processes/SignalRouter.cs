using System.Collections.Concurrent;
using Beamwire.Node.Connection;
using Beamwire.Node.Control;
using Beamwire.Node.Handshake;
using Beamwire.Terms;

namespace Beamwire.Node.Processes;

/// <summary>
/// Where process signals go: links, unlinks, exit signals, monitors and DOWNs, to a local process (a
/// direct call into it) or across the connection to the target's node as control messages (connecting
/// on demand; a node that cannot be reached answers links and monitors with <c>noconnection</c>). It
/// also keeps which local processes have links or monitors over which connection, so a lost connection
/// reaches exactly them.
/// </summary>
internal sealed class SignalRouter
{
    private readonly ProcessTable _processes;
    private readonly ConnectionTable _connections;
    private readonly MessageRouter _router;
    private readonly ErlangAtom _self;
    private readonly ConcurrentDictionary<ErlangAtom, ConcurrentDictionary<LocalProcess, byte>> _interest = new();
    private long _unlinkIds;

    public SignalRouter(ProcessTable processes, ConnectionTable connections, MessageRouter router, ErlangAtom self)
    {
        _processes = processes;
        _connections = connections;
        _router = router;
        _self = self;
    }

    public ulong NextUnlinkId() => (ulong)Interlocked.Increment(ref _unlinkIds);

    // ---- links ---------------------------------------------------------------------------------

    /// <summary>LINK from a local process (from) or from a peer (to is then local).</summary>
    public void SendLink(ErlangPid from, ErlangPid to)
    {
        if (IsLocal(to))
        {
            switch (_processes.Lookup(to))
            {
                case LocalProcess p when p.OnLink(from):
                    return;
                case LocalProcess or null:
                    SendLinkExit(to, from, ErlangAtom.NoProc);
                    return;
                default:
                    return; // a node service: lives as long as the node
            }
        }

        if (!TryEnqueueLive(to.Node, (from, to), LinkWriter, null)) Remote(to.Node, (from, to), LinkWriter, null, LinkUnreachable(from, to));
    }

    private static readonly ControlWriter<(ErlangPid From, ErlangPid To)> LinkWriter =
        static (OutboundBuffer b, in (ErlangPid From, ErlangPid To) s) => LinkControl.Encode(b, s.From, s.To);

    private Action LinkUnreachable(ErlangPid from, ErlangPid to) => () => SendLinkExit(to, from, ErlangAtom.NoConnection);

    public void SendUnlinkId(ulong id, ErlangPid from, ErlangPid to)
    {
        if (IsLocal(to))
        {
            (_processes.Lookup(to) as LocalProcess)?.OnUnlinkId(from);
            SendUnlinkAck(id, to, from);
            return;
        }

        Remote(to.Node, (id, from, to), static (OutboundBuffer b, in (ulong Id, ErlangPid From, ErlangPid To) s) => UnlinkIdControl.Encode(b, s.Id, s.From, s.To), null, null);
    }

    /// <summary>UNLINK_ID_ACK from <paramref name="from"/> (the unlinked side) to <paramref name="to"/> (who asked).</summary>
    public void SendUnlinkAck(ulong id, ErlangPid from, ErlangPid to)
    {
        if (IsLocal(to))
        {
            (_processes.Lookup(to) as LocalProcess)?.OnUnlinkAck(id, from);
            return;
        }

        Remote(to.Node, (id, from, to), static (OutboundBuffer b, in (ulong Id, ErlangPid From, ErlangPid To) s) => UnlinkIdControl.EncodeAck(b, s.Id, s.From, s.To), null, null);
    }

    /// <summary>An exit signal due to a link (the sender exited, or does not exist).</summary>
    public void SendLinkExit(ErlangPid from, ErlangPid to, ErlangTerm reason)
    {
        if (IsLocal(to))
        {
            (_processes.Lookup(to) as LocalProcess)?.OnLinkExit(from, reason);
            return;
        }

        RemoteExit(to.Node, from, to, reason, exit2: false);
    }

    /// <summary><c>exit(To, Reason)</c>.</summary>
    public void SendExit2(ErlangPid from, ErlangPid to, ErlangTerm reason)
    {
        if (IsLocal(to))
        {
            (_processes.Lookup(to) as LocalProcess)?.OnExit2(from, reason);
            return;
        }

        RemoteExit(to.Node, from, to, reason, exit2: true);
    }

    private void RemoteExit(ErlangAtom node, ErlangPid from, ErlangPid to, ErlangTerm reason, bool exit2)
    {
        if (NodeOf(node) is not { } name) return;
        if (_connections.Get(name) is { } conn) EnqueueExit(conn, from, to, reason, exit2);
        else _connections.Route(name, force: true, send: ExitWhenConnected(from, to, reason, exit2));
    }

    // The slow paths' closures are made in methods of their own: a lambda capturing parameters would be allocated on every call.
    private static Action<DistConnection> ExitWhenConnected(ErlangPid from, ErlangPid to, ErlangTerm reason, bool exit2) =>
        c => EnqueueExit(c, from, to, reason, exit2);

    private static void EnqueueExit(DistConnection c, ErlangPid from, ErlangPid to, ErlangTerm reason, bool exit2)
    {
        var payload = (c.Flags & DistributionFlags.ExitPayload) != 0;
        var state = (from, to, reason, payload);
        if (exit2)
            c.Enqueue(state, static (OutboundBuffer b, in (ErlangPid From, ErlangPid To, ErlangTerm Reason, bool Payload) s) =>
                Exit2Control.Encode(b, s.From, s.To, s.Reason, s.Payload), payload ? reason : null);
        else
            c.Enqueue(state, static (OutboundBuffer b, in (ErlangPid From, ErlangPid To, ErlangTerm Reason, bool Payload) s) =>
                ExitControl.Encode(b, s.From, s.To, s.Reason, s.Payload), payload ? reason : null);
    }

    // ---- monitors ------------------------------------------------------------------------------

    /// <summary>
    /// MONITOR_P from <paramref name="from"/> on <paramref name="target"/> (a pid, or a name registered on
    /// <paramref name="node"/>). <paramref name="localName"/> is the name a local monitor-by-name resolved.
    /// </summary>
    public void SendMonitor(ErlangPid from, ErlangTerm target, ErlangAtom node, ErlangReference mref, ErlangAtom? localName = null)
    {
        if (ReferenceEquals(node, _self))
        {
            var byName = target as ErlangAtom ?? localName;
            var process = target is ErlangPid pid ? _processes.Lookup(pid) : _processes.Whereis((ErlangAtom)target);
            switch (process)
            {
                case LocalProcess p when p.OnMonitored(mref, from, byName):
                    return;
                case LocalProcess or null:
                    SendDown((ErlangTerm?)byName ?? target, from, mref, ErlangAtom.NoProc);
                    return;
                default:
                    return; // a node service
            }
        }

        if (!TryEnqueueLive(node, (from, target, mref), MonitorWriter, null))
            Remote(node, (from, target, mref), MonitorWriter, null, MonitorUnreachable(from, target, mref));
    }

    private static readonly ControlWriter<(ErlangPid From, ErlangTerm Target, ErlangReference Ref)> MonitorWriter =
        static (OutboundBuffer b, in (ErlangPid From, ErlangTerm Target, ErlangReference Ref) s) => MonitorControl.Encode(b, ControlOp.MonitorP, s.From, s.Target, s.Ref);

    private Action MonitorUnreachable(ErlangPid from, ErlangTerm target, ErlangReference mref) => () => SendDown(target, from, mref, ErlangAtom.NoConnection);

    public void SendDemonitor(ErlangPid from, ErlangTerm target, ErlangAtom node, ErlangReference mref)
    {
        if (ReferenceEquals(node, _self))
        {
            var process = target is ErlangPid pid ? _processes.Lookup(pid) : _processes.Whereis((ErlangAtom)target);
            (process as LocalProcess)?.OnDemonitored(mref);
            return;
        }

        Remote(node, (from, target, mref), static (OutboundBuffer b, in (ErlangPid From, ErlangTerm Target, ErlangReference Ref) s) =>
            MonitorControl.Encode(b, ControlOp.DemonitorP, s.From, s.Target, s.Ref), null, null);
    }

    /// <summary>The monitored process (named <paramref name="fromProc"/>: its pid, or the name it was monitored by) is down.</summary>
    public void SendDown(ErlangTerm fromProc, ErlangPid to, ErlangReference mref, ErlangTerm reason)
    {
        if (IsLocal(to))
        {
            (_processes.Lookup(to) as LocalProcess)?.OnDown(mref, reason);
            return;
        }

        if (NodeOf(to.Node) is not { } name) return;
        if (_connections.Get(name) is { } conn) EnqueueDown(conn, fromProc, to, mref, reason);
        else _connections.Route(name, force: true, send: DownWhenConnected(fromProc, to, mref, reason));
    }

    private static Action<DistConnection> DownWhenConnected(ErlangTerm fromProc, ErlangPid to, ErlangReference mref, ErlangTerm reason) =>
        c => EnqueueDown(c, fromProc, to, mref, reason);

    private static void EnqueueDown(DistConnection c, ErlangTerm fromProc, ErlangPid to, ErlangReference mref, ErlangTerm reason)
    {
        var payload = (c.Flags & DistributionFlags.ExitPayload) != 0;
        c.Enqueue((fromProc, to, mref, reason, payload),
            static (OutboundBuffer b, in (ErlangTerm From, ErlangPid To, ErlangReference Ref, ErlangTerm Reason, bool Payload) s) =>
                MonitorExitControl.Encode(b, s.From, s.To, s.Ref, s.Reason, s.Payload),
            payload ? reason : null);
    }

    // ---- connections ---------------------------------------------------------------------------

    /// <summary>
    /// Sends a control message to <paramref name="node"/>: at once when connected, else once the connection
    /// is up (in order with messages queued meanwhile). <paramref name="unreachable"/> runs if it cannot be set up.
    /// </summary>
    public void Remote<TState>(ErlangAtom node, TState state, ControlWriter<TState> writer, ErlangTerm? payload, Action? unreachable)
    {
        if (TryEnqueueLive(node, state, writer, payload)) return;
        if (NodeOf(node) is { } name) RemoteWhenConnected(name, state, writer, payload, unreachable);
        else unreachable?.Invoke();
    }

    /// <summary>Queues on the live connection to <paramref name="node"/> (lock-free); false when there is none.</summary>
    private bool TryEnqueueLive<TState>(ErlangAtom node, TState state, ControlWriter<TState> writer, ErlangTerm? payload) =>
        NodeOf(node) is { } name && _connections.Get(name) is { } conn && conn.Enqueue(state, writer, payload);

    private void RemoteWhenConnected<TState>(NodeName name, TState state, ControlWriter<TState> writer, ErlangTerm? payload, Action? unreachable)
    {
        _connections.Route(name, c => c.Enqueue(state, writer, payload), force: true); // signals never wait (read loops send them)
        if (unreachable is null) return;
        _ = _connections.ConnectAsync(name).ContinueWith(
            static (t, s) =>
            {
                if (!t.Result) ((Action)s!)();
            },
            unreachable, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public void AddInterest(ErlangAtom node, LocalProcess process) =>
        _interest.GetOrAdd(node, static _ => new ConcurrentDictionary<LocalProcess, byte>(ReferenceEqualityComparer.Instance))[process] = 0;

    public void RemoveInterest(ErlangAtom node, LocalProcess process)
    {
        if (_interest.TryGetValue(node, out var set)) set.TryRemove(process, out _);
    }

    /// <summary>The connection to <paramref name="node"/> is gone: <c>noconnection</c> for every link and monitor over it.</summary>
    public void OnNodeDown(ErlangAtom node)
    {
        if (!_interest.TryRemove(node, out var set)) return;
        foreach (var p in set.Keys) p.OnConnectionLost(node);
    }

    private bool IsLocal(ErlangPid pid) => ReferenceEquals(pid.Node, _self);

    private NodeName? NodeOf(ErlangAtom node) => _router.NodeOf(node);
}
