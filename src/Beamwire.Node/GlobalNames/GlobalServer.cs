using System.Collections.Concurrent;
using Beamwire.Node.Otp;
using Beamwire.Node.Processes;
using Beamwire.Node.Services;
using Beamwire.Terms;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.GlobalNames;

/// <summary>
/// <c>global_name_server</c>, speaking global's node-to-node protocol (version 8, OTP 25 to 29). On nodeup
/// both servers send <c>init_connect</c>; their lockers lock both partitions (<see cref="GlobalLocker"/>);
/// the servers then swap their names (<c>exchange</c>), resolve clashes and answer <c>resolved</c> with the
/// nodes they know; each tells the rest of its partition of the new nodes (<c>new_nodes</c>). A node told of
/// new nodes connects to them and sends <c>in_sync</c>, which is what makes connect_all a full mesh.
/// The names table and the locks live in <see cref="Tables"/>. With prevent_overlapping_partitions a lost
/// connection is multicast (<c>lost_connection</c>) and the receivers drop the node(s) that would otherwise
/// be in two partitions, as OTP does. One message at a time, in arrival order, as a gen_server.
/// </summary>
internal sealed partial class GlobalServer : BeamProcess
{
    private sealed class Session
    {
        public ErlangTerm MyTag = ErlangAtom.Undefined;
        public ErlangTerm HisTag = ErlangAtom.Undefined;
        public int ProtVsn;
        public bool LockIsSet;
        public ErlangTerm? WaitingExchange;
        public List<ErlangTerm>? SavedOps;
        public ErlangTuple? SavedResolved;
        public ErlangTerm LockId = ErlangAtom.Undefined;
        public ErlangTuple? PreConnect;
    }

    private readonly Dictionary<ErlangAtom, int> _known = new();
    private readonly Dictionary<ErlangAtom, int> _pending = new();
    private readonly HashSet<ErlangAtom> _removing = [];
    private readonly List<ErlangAtom> _synced = [];
    private readonly Dictionary<ErlangAtom, ErlangTerm> _resolvers = new();
    private readonly Dictionary<ErlangAtom, Session> _sessions = new();
    private readonly Dictionary<(ErlangAtom, ErlangAtom), (ErlangTerm XCreation, long OpId)> _lostConnections = new();
    private readonly ConcurrentDictionary<long, Action<LocalProcess>> _lockerFuns = new();
    private readonly ILogger _logger;
    private readonly long _creationExtension = Random.Shared.NextInt64(long.MinValue, long.MaxValue) & ~0xFFFFFFFFL;
    private long _uniques;
    private bool _connectAll;
    private bool _preventOverlappingPartitions;
    private GlobalLocker _locker = null!;

    public GlobalServer(BeamNode node)
    {
        _connectAll = node.Options.ConnectAll;
        _preventOverlappingPartitions = node.Options.PreventOverlappingPartitions;
        _logger = node.LoggerFactory.CreateLogger("Beamwire.Node.Global");
    }

    public GlobalTables Tables { get; } = new();

    /// <summary>Nodes this server knows (global's <c>known</c>), for rpc's <c>get_known</c> and the API.</summary>
    public IReadOnlyList<ErlangAtom> KnownNodes
    {
        get
        {
            lock (_known) return [.. _known.Keys];
        }
    }

    /// <summary>Starts the server, registered as <c>global_name_server</c>, and its locker; call once, before any connection.</summary>
    public static GlobalServer Start(BeamNode node)
    {
        var server = new GlobalServer(node);
        node.SpawnCore(server, new SpawnOptions { Name = GlobalAtoms.ServerName.Name, TrapExit = true }, null, link: false, monitor: false, out _);
        server.MonitorNodes();
        server._locker = new GlobalLocker(server);
        node.SpawnCore(server._locker, new SpawnOptions { TrapExit = true }, null, link: false, monitor: false, out _);
        return server;
    }

    private ErlangAtom SelfAtom => Node.SelfAtom;

    private ErlangInteger Unique() => ErlangInteger.Create(Interlocked.Increment(ref _uniques));

    protected override async Task RunAsync()
    {
        while (true)
        {
            var message = await ReceiveAsync().ConfigureAwait(false);
            GlobalLog.Received(_logger, message);
            try
            {
                Handle(message);
            }
#pragma warning disable CA1031 // A malformed message from a peer must not take the server down.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                GlobalLog.Failed(_logger, ex, message.ToString());
            }
        }
    }

    private void Handle(ErlangTerm message)
    {
        if (GenMessages.TryParseCast(message, out var request))
        {
            HandleCast(request);
        }
        else if (GenMessages.TryParseCall(message, out var from, out var tag, out request))
        {
            if (HandleCall(request, from) is { } reply) GenReply.Send(Node, Pid, from, tag, reply);
        }
        else
        {
            HandleInfo(message);
        }
    }

    // ---- calls ----------------------------------------------------------------------------------

    private ErlangTerm? HandleCall(ErlangTerm request, ErlangPid from)
    {
        if (request is ErlangAtom atom)
        {
            if (ReferenceEquals(atom, GlobalAtoms.GetKnown)) return KnownList(0);
            if (ReferenceEquals(atom, GlobalAtoms.GetSynced)) return new ErlangList([.. _synced]);
            if (ReferenceEquals(atom, GlobalAtoms.GetProtocolVersion)) return ErlangInteger.Create(GlobalAtoms.Vsn);
            if (ReferenceEquals(atom, GlobalAtoms.GetNamesExt)) return ErlangList.Nil;
        }
        else if (request is ErlangTuple { Count: > 1 } t && t[0] is ErlangAtom op)
        {
            if ((ReferenceEquals(op, GlobalAtoms.Register) && t.Count == 4 || ReferenceEquals(op, GlobalAtoms.RegisterExt) && t.Count == 5) && t[2] is ErlangPid pid)
            {
                InsertName(t[1], pid, t[3]);
                return GlobalAtoms.Yes;
            }

            if (ReferenceEquals(op, GlobalAtoms.Unregister) && t.Count == 2)
            {
                DeleteName(t[1]);
                return ErlangAtom.Ok;
            }

            if (ReferenceEquals(op, GlobalAtoms.SetLock) && t.Count == 2 && t[1] is ErlangTuple { Count: 2 } id)
                return Tables.TrySetLock(id[0], id[1], from, Monitor);
            if (ReferenceEquals(op, GlobalAtoms.DelLock) && t.Count == 2 && t[1] is ErlangTuple { Count: 2 } del)
            {
                if (Tables.RemoveHolder(del[0], del[1], from, null) is { } mref) Demonitor(mref, flush: true);
                return ErlangAtom.True;
            }
        }

        GlobalLog.Unexpected(_logger, "handle_call", request.ToString());
        return null;
    }

    // ---- casts ----------------------------------------------------------------------------------

    private void HandleCast(ErlangTerm request)
    {
        if (request is not ErlangTuple { Count: > 1 } t || t[0] is not ErlangAtom op)
        {
            GlobalLog.Unexpected(_logger, "handle_cast", request.ToString());
            return;
        }

        if (ReferenceEquals(op, GlobalAtoms.InitConnect) && t.Count == 4 && t[2] is ErlangAtom icNode) OnInitConnect(t[1], icNode, t[3]);
        else if (ReferenceEquals(op, GlobalAtoms.LockIsSet) && t.Count == 4 && t[1] is ErlangAtom lsNode) OnLockIsSet(lsNode, t[2], t[3]);
        else if (ReferenceEquals(op, GlobalAtoms.Exchange) && t.Count == 5 && t[1] is ErlangAtom exNode) OnExchange(exNode, t[2], t[4]);
        else if (ReferenceEquals(op, GlobalAtoms.ExchangeOps) && t.Count == 5 && t[1] is ErlangAtom eoNode) OnExchangeOps(eoNode, t[2], t[3], t[4]);
        else if (ReferenceEquals(op, GlobalAtoms.Resolved) && t.Count == 7 && t[1] is ErlangAtom rsNode) OnResolved(rsNode, t[2], t[3], t[6]);
        else if (ReferenceEquals(op, GlobalAtoms.NewNodes) && t.Count == 6 && t[1] is ErlangAtom nnNode) OnNewNodes(nnNode, t[2], t[4]);
        else if (ReferenceEquals(op, GlobalAtoms.InSync) && t.Count == 3 && t[1] is ErlangAtom isNode) OnInSync(isNode);
        else if (ReferenceEquals(op, GlobalAtoms.LockSet) && t.Count is 4 or 5 && t[1] is ErlangPid lockerPid)
        {
            // From the other node's locker, for ours (OTP's lockers talk through their servers).
            if (t.Count == 4 || SessionOf(lockerPid.Node)?.MyTag.Equals(t[4]) == true) Send(_locker.Pid, request);
        }
        else if (ReferenceEquals(op, GlobalAtoms.AsyncDelName) || ReferenceEquals(op, GlobalAtoms.AsyncDelLock))
        {
            // Pre-R14 messages; the DOWN does the work.
        }
        else
        {
            GlobalLog.Unexpected(_logger, "handle_cast", request.ToString());
        }
    }

    public void LockerFailed(Exception ex, ErlangTerm? message) => GlobalLog.Failed(_logger, ex, message?.ToString() ?? "the locker's timeout");

    /// <summary>gen_server:cast(global_name_server, Request) to this server (from its locker and resolvers).</summary>
    public void CastToSelf(ErlangTerm request)
    {
        Node.Router.SendNow(Pid, Pid, GenMessages.Cast(request));
        QueueHandOffs(); // callers run on threads no process run owns (see GlobalCalls.MultiCallAsync)
    }

    // ---- info -----------------------------------------------------------------------------------

    private void HandleInfo(ErlangTerm message)
    {
        if (message is not ErlangTuple { Count: > 1 } t || t[0] is not ErlangAtom op)
        {
            GlobalLog.Unexpected(_logger, "handle_info", message.ToString());
            return;
        }

        if (ReferenceEquals(op, ProcessAtoms.NodeUp) && t[1] is ErlangAtom up)
        {
            if (!ReferenceEquals(up, SelfAtom)) OnNodeUp(up);
        }
        else if (ReferenceEquals(op, ProcessAtoms.NodeDown) && t[1] is ErlangAtom down)
        {
            HandleNodeDown(down, NodeDownType.Disconnected);
        }
        else if (ReferenceEquals(op, GlobalAtoms.ExtraNodedown) && t[1] is ErlangAtom extra)
        {
            HandleNodeDown(extra, NodeDownType.Disconnected);
        }
        else if (ReferenceEquals(op, ProcessAtoms.Down) && t.Count == 5 && t[1] is ErlangReference mref)
        {
            OnDown(mref);
        }
        else if (ReferenceEquals(op, GlobalAtoms.InitConnectAck) && t.Count == 4 && t[1] is ErlangAtom ackNode)
        {
            OnInitConnectAck(ackNode, t[2], t[3]);
        }
        else if (ReferenceEquals(op, GlobalAtoms.CancelConnect) && t.Count == 3 && t[1] is ErlangAtom ccNode)
        {
            OnCancelConnect(ccNode, t[2]);
        }
        else if (ReferenceEquals(op, GlobalAtoms.LostConnection) && t.Count == 5 && t[1] is ErlangAtom nodeA && t[3] is ErlangInteger opId && t[4] is ErlangAtom nodeB)
        {
            OnLostConnection(t, nodeA, t[2], opId.Value, nodeB);
        }
        else if (ReferenceEquals(op, GlobalAtoms.RemoveConnection) && t.Count == 2 && t[1] is ErlangAtom rmNode)
        {
            OnRemoveConnection(rmNode);
        }
        else if (ReferenceEquals(op, GlobalAtoms.PrepareShutdown) && t.Count == 3 && t[1] is ErlangPid shutdownFrom)
        {
            // Connections taken down by a shutdown must not be reported as lost.
            _connectAll = false;
            _preventOverlappingPartitions = false;
            Send(shutdownFrom, new ErlangTuple(t[2], ErlangAtom.Ok));
        }
        else if (!ReferenceEquals(op, ProcessAtoms.Exit))
        {
            GlobalLog.Unexpected(_logger, "handle_info", message.ToString());
        }
    }

    private void OnDown(ErlangReference mref)
    {
        switch (Tables.OfMonitor(mref))
        {
            case GlobalName name:
                DeleteName(name.Name);
                break;
            case ErlangTerm resource:
                Tables.RemoveHolder(resource, null, null, mref);
                break;
        }
    }

    // ---- the locker's functions -----------------------------------------------------------------

    /// <summary>Runs (on the locker, before it releases the lock) the action a cancel message names, if any.</summary>
    public void RunLockerFun(ErlangTerm fun, LocalProcess locker)
    {
        if (fun is ErlangInteger id && _lockerFuns.TryRemove(id.Value, out var action)) action(locker);
    }

    private void CancelLocker(ErlangAtom node, ErlangTerm tag, Action<LocalProcess>? fun = null)
    {
        ErlangTerm funRef = GlobalAtoms.NoFun;
        if (fun is not null)
        {
            var id = Interlocked.Increment(ref _uniques);
            _lockerFuns[id] = fun;
            funRef = ErlangInteger.Create(id);
        }

        Send(_locker.Pid, new ErlangTuple(GlobalAtoms.Cancel, node, tag, funRef));
        SendCancelConnect(node, tag);
        if (_resolvers.TryGetValue(node, out var resolverTag) && resolverTag.Equals(tag)) _resolvers.Remove(node);
    }

    private void SendCancelConnect(ErlangAtom node, ErlangTerm myTag)
    {
        if (!_pending.TryGetValue(node, out var vsn) || vsn < GlobalAtoms.VerifyConnectVsn) return;
        if (SessionOf(node) is not { } s || !s.MyTag.Equals(myTag)) return;
        SendCancelConnectMessage(node, s.HisTag);
    }

    private void SendCancelConnectMessage(ErlangAtom node, ErlangTerm hisTag) =>
        VolatileSend(node, new ErlangTuple(GlobalAtoms.CancelConnect, SelfAtom, hisTag));

    /// <summary>gns_volatile_send: to the node's global_name_server, never setting up a connection.</summary>
    private void VolatileSend(ErlangAtom node, ErlangTerm message)
    {
        if (Node.Router.NodeOf(node) is { } name && Node.Connections.Get(name) is not null)
            Node.Router.SendNow(Pid, GlobalAtoms.ServerName, node, message);
    }

    private static void CastTo(LocalProcess from, ErlangAtom node, ErlangTerm request) =>
        from.Send(GlobalAtoms.ServerName.Name, node.Name, GenMessages.Cast(request));

    private Session? SessionOf(ErlangAtom node) => _sessions.GetValueOrDefault(node);

    private Session SessionFor(ErlangAtom node)
    {
        if (!_sessions.TryGetValue(node, out var s)) _sessions[node] = s = new Session();
        return s;
    }

    private ErlangTerm MyTagOf(ErlangAtom node) => SessionOf(node)?.MyTag ?? ErlangAtom.Undefined;

    private void ResetNodeState(ErlangAtom node) => _sessions.Remove(node);
}

internal static partial class GlobalLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Trace, Message = "global_name_server got {Message}")]
    public static partial void Received(ILogger logger, ErlangTerm message);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "global_name_server could not handle {Message}")]
    public static partial void Failed(ILogger logger, Exception exception, string message);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "The global_name_server received an unexpected message: {Callback}({Message}, _)")]
    public static partial void Unexpected(ILogger logger, string callback, string message);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "'global' at node {Node} {What} node {Other} in order to prevent overlapping partitions")]
    public static partial void Overlapping(ILogger logger, string node, string what, string other);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "'global' at {Node} failed to connect to {Other}")]
    public static partial void FailedToConnect(ILogger logger, string node, string other);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "global: Name conflict terminating {Name} (process {Pid})")]
    public static partial void ConflictTerminating(ILogger logger, ErlangTerm name, ErlangPid pid);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Information, Message = "global: Resolve method {Method} for conflicting name {Name} returned {Result}")]
    public static partial void ResolveReturned(ILogger logger, ErlangTerm method, ErlangTerm name, ErlangTerm result);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Information, Message = "global: badrpc {Reason} received when conflicting name {Name} was found")]
    public static partial void ResolveBadRpc(ILogger logger, ErlangTerm reason, ErlangTerm name);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Error, Message = "'global' at node {Node} got an out of sync connection attempt from old version {Vsn} node {Other}. Disconnecting from it.")]
    public static partial void OutOfSync(ILogger logger, string node, int vsn, string other);
}
