using Beamwire.Node.Connection;
using Beamwire.Node.Control;
using Beamwire.Node.Handshake;
using Beamwire.Node.Processes;
using Beamwire.Terms;

namespace Beamwire.Node;

// Spawning from a process: locally (spawn, spawn_link, spawn_monitor) and on other nodes (spawn_request).
public abstract partial class LocalProcess
{
    private Dictionary<ErlangReference, ErlangAtom>? _pendingSpawns; // remote spawn requests awaiting SPAWN_REPLY

    /// <summary><c>spawn/1</c>.</summary>
    public ErlangPid Spawn(Func<BeamProcess, Task> body, SpawnOptions? options = null) =>
        SpawnLocal(new DelegateProcess(body ?? throw new ArgumentNullException(nameof(body))), options, false, false, out _);

    /// <summary><c>spawn_link/1</c>: linked before the new process can run.</summary>
    public ErlangPid SpawnLink(Func<BeamProcess, Task> body, SpawnOptions? options = null) =>
        SpawnLocal(new DelegateProcess(body ?? throw new ArgumentNullException(nameof(body))), options, true, false, out _);

    /// <summary><c>spawn_link</c> of a <see cref="BeamProcess"/> instance.</summary>
    public ErlangPid SpawnLink(BeamProcess process, SpawnOptions? options = null) =>
        SpawnLocal(process ?? throw new ArgumentNullException(nameof(process)), options, true, false, out _);

    /// <summary><c>spawn_monitor/1</c>: the pid and the monitor reference.</summary>
    public (ErlangPid Pid, ErlangReference Monitor) SpawnMonitor(Func<BeamProcess, Task> body, SpawnOptions? options = null)
    {
        var pid = SpawnLocal(new DelegateProcess(body ?? throw new ArgumentNullException(nameof(body))), options, false, true, out var mref);
        return (pid, mref!);
    }

    private ErlangPid SpawnLocal(BeamProcess process, SpawnOptions? options, bool link, bool monitor, out ErlangReference? mref)
    {
        ThrowIfExited();
        return _node.SpawnCore(process, options, this, link, monitor, out mref);
    }

    /// <summary>
    /// <c>spawn_request(Node, M, F, A, Opts)</c> + its reply: starts <c>Module:Function(Args...)</c> on another
    /// node (SPAWN_REQUEST), optionally linked to and/or monitored by this process (the monitor reference is
    /// then the returned request id). Fails with <see cref="RemoteSpawnException"/> carrying Erlang's reason
    /// (<c>noconnection</c>, <c>notsup</c>, <c>badopt</c>, <c>system_limit</c>...).
    /// </summary>
    public async Task<(ErlangPid Pid, ErlangReference RequestId)> SpawnRemoteAsync(
        string node, string module, string function, IReadOnlyList<ErlangTerm> args, bool link = false, bool monitor = false,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var reqId = SendSpawnRequest(ErlangAtom.Get(node), ErlangAtom.Get(module), ErlangAtom.Get(function), [.. args], link, monitor);
        var reply = (ErlangTuple)await ReceiveAsync(m => IsSpawnReply(m, reqId), timeout ?? TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        if (ReferenceEquals(reply[2], ErlangAtom.Ok)) return ((ErlangPid)reply[3], reqId);
        throw new RemoteSpawnException(reply[3]);
    }

    private static bool IsSpawnReply(ErlangTerm m, ErlangReference reqId) =>
        m is ErlangTuple { Count: 4 } t && ReferenceEquals(t[0], ProcessAtoms.SpawnReply) && t[1].Equals(reqId);

    /// <summary>Sends SPAWN_REQUEST; the reply arrives as <c>{spawn_reply, ReqId, ok | error, Pid | Reason}</c>.</summary>
    internal ErlangReference SendSpawnRequest(ErlangAtom node, ErlangAtom module, ErlangAtom function, ErlangTerm[] args, bool link, bool monitor)
    {
        ThrowIfExited();
        var reqId = _node.MakeRef();
        if (ReferenceEquals(node, _node.SelfAtom))
        {
            // Our own node: the same path a peer's request takes, answered at once.
            _node.RemoteSpawn.Spawn(reqId, _pid, GroupLeader ?? _pid, module, function, args, link, monitor, reply: OnSpawnReply);
            return reqId;
        }

        lock (_gate)
        {
            (_pendingSpawns ??= [])[reqId] = node;
            NoteRemoteLocked(node);
        }

        var options = new List<ErlangTerm>(2);
        if (link) options.Add(SpawnAtoms.Link);
        if (monitor) options.Add(SpawnAtoms.Monitor);
        var request = new SpawnRequestEncoding(reqId, _pid, GroupLeader ?? _node.GroupLeaderPid, module, function, args.Length, new ErlangList([.. options]));
        var name = _node.Router.NodeOf(node);
        var conn = name is null ? null : _node.Connections.Get(name);
        if (conn is not null && (conn.Flags & DistributionFlags.Spawn) == 0)
        {
            OnSpawnReply(reqId, 0, SpawnAtoms.NotSup);
            return reqId;
        }

        _node.Signals.Remote(node, request, static (OutboundBuffer b, in SpawnRequestEncoding r) => SpawnRequestControl.Encode(b, r), new ErlangList(args),
            () => OnSpawnReply(reqId, 0, ErlangAtom.NoConnection));
        return reqId;
    }

    /// <summary>SPAWN_REPLY: sets up the link/monitor the other node made, then delivers <c>{spawn_reply, ...}</c>.</summary>
    internal void OnSpawnReply(ErlangReference reqId, ulong flags, ErlangTerm result)
    {
        lock (_gate)
        {
            _pendingSpawns?.Remove(reqId);
            if (result is ErlangPid pid)
            {
                if ((flags & 1) != 0) (_links ??= [])[pid] = 0;
                if ((flags & 2) != 0) (_monitors ??= [])[reqId] = new MonitorEntry(pid, pid.Node, pid, false);
                NoteRemoteLocked(pid.Node);
            }
        }

        Enqueue(result is ErlangPid
            ? new ErlangTuple(ProcessAtoms.SpawnReply, reqId, ErlangAtom.Ok, result)
            : new ErlangTuple(ProcessAtoms.SpawnReply, reqId, ErlangAtom.Error, result));
    }

    /// <summary>Pending spawn requests on a lost node fail with <c>noconnection</c> (under the lock).</summary>
    private void FailPendingSpawnsLocked(ErlangAtom node)
    {
        if (_pendingSpawns is null) return;
        foreach (var reqId in _pendingSpawns.Where(p => ReferenceEquals(p.Value, node)).Select(p => p.Key).ToList())
        {
            _pendingSpawns.Remove(reqId);
            Enqueue(new ErlangTuple(ProcessAtoms.SpawnReply, reqId, ErlangAtom.Error, ErlangAtom.NoConnection));
        }
    }
}

/// <summary>A remote spawn failed; <see cref="Reason"/> is Erlang's (<c>noconnection</c>, <c>notsup</c>, <c>badopt</c>...).</summary>
public sealed class RemoteSpawnException : BeamNodeException
{
    public RemoteSpawnException(ErlangTerm reason) : base($"Remote spawn failed: {reason}") => Reason = reason;

    public RemoteSpawnException(string message) : base(message) => Reason = ErlangAtom.Badarg;

    public RemoteSpawnException(string message, Exception innerException) : base(message, innerException) => Reason = ErlangAtom.Badarg;

    public RemoteSpawnException() : this(ErlangAtom.Badarg) { }

    public ErlangTerm Reason { get; }
}
