using Beamwire.Node.Connection;
using Beamwire.Node.Control;
using Beamwire.Terms;

namespace Beamwire.Node.Processes;

/// <summary>
/// Answers SPAWN_REQUEST (<c>spawn/4</c>, <c>spawn_link/4</c>, <c>spawn_monitor/4</c>, <c>spawn_request/5</c>
/// and <c>erpc</c> from a peer): starts a process running the exposed function, sets up the link and
/// monitor the requester asked for, and replies with SPAWN_REPLY before the process can run (so the
/// reply precedes any exit or DOWN from it). An MFA nobody exposed is spawned anyway and exits with
/// <c>{undef, [{M, F, Args, []}]}</c>, as on a BEAM.
/// </summary>
internal sealed class RemoteSpawn
{
    private readonly BeamNode _node;

    public RemoteSpawn(BeamNode node) => _node = node;

    public void OnRequest(DistConnection connection, SpawnRequestControl request)
    {
        void Reply(ErlangReference reqId, ulong flags, ErlangTerm result) =>
            connection.Enqueue((reqId, request.From, flags, result),
                static (OutboundBuffer b, in (ErlangReference ReqId, ErlangPid To, ulong Flags, ErlangTerm Result) s) =>
                    SpawnReplyControl.Encode(b, s.ReqId, s.To, s.Flags, s.Result), null);

        if (request.Mfa is not ErlangTuple { Count: 3 } mfa || mfa[0] is not ErlangAtom module || mfa[1] is not ErlangAtom function ||
            ProcessAtoms.ListElements(request.Arguments) is not { } args)
        {
            Reply(request.ReqId, 0, ErlangAtom.Badarg);
            return;
        }

        if (!TryParseOptions(request.Options, out var link, out var monitor))
        {
            Reply(request.ReqId, 0, SpawnAtoms.BadOpt);
            return;
        }

        Spawn(request.ReqId, request.From, request.GroupLeader as ErlangPid, module, function, args, link, monitor, Reply, runNext: true);
    }

    private static bool TryParseOptions(ErlangTerm options, out bool link, out bool monitor)
    {
        link = monitor = false;
        if (ProcessAtoms.ListElements(options) is not { } list) return false;
        foreach (var o in list)
        {
            if (ReferenceEquals(o, SpawnAtoms.Link)) link = true;
            else if (ReferenceEquals(o, SpawnAtoms.Monitor)) monitor = true;
            else if (o is ErlangTuple { Count: 2 } t && t[0] is ErlangAtom key && SpawnAtoms.IgnoredOptionKeys.Contains(key)) continue;
            else if (o is ErlangTuple { Count: 2 } m && ReferenceEquals(m[0], SpawnAtoms.Monitor)) monitor = true; // {monitor, Opts}: tag/alias are the requester's business
            else return false;
        }

        return true;
    }

    /// <summary>
    /// Starts the process for a spawn request; <paramref name="reply"/> gets (ReqId, Flags, Pid) before it runs.
    /// <paramref name="runNext"/> (a peer's request, handled on the connection's reader thread): it starts on that
    /// thread once the read is handed out; a local spawn_request's child goes to the pool.
    /// </summary>
    public void Spawn(ErlangReference reqId, ErlangPid parent, ErlangPid? groupLeader, ErlangAtom module, ErlangAtom function, ErlangTerm[] args,
        bool link, bool monitor, Action<ErlangReference, ulong, ErlangTerm> reply, bool runNext = false)
    {
        var process = new MfaProcess(module, function, args);
        var pid = _node.Processes.NewPid();
        process.Start(_node, pid);
        process.GroupLeader = groupLeader;
        _node.Processes.Add(process);
        ulong flags = 0;
        if (link && process.OnLink(parent)) flags |= 1;
        if (monitor && process.OnMonitored(reqId, parent, null)) flags |= 2;
        reply(reqId, flags, pid);
        _node.ProcessMetrics.Spawned();
        process.Run(runNext);
    }
}

/// <summary>
/// A process running an exposed function: <c>Module:Function(Args...)</c>. It exits <c>normal</c> when the
/// function returns, and with Erlang's reason when it fails: <c>{Reason, Stack}</c> for an error,
/// <c>{{nocatch, Value}, Stack}</c> for a throw, the reason itself for an exit.
/// </summary>
internal sealed class MfaProcess(ErlangAtom module, ErlangAtom function, ErlangTerm[] args) : BeamProcess
{
    protected override async Task RunAsync()
    {
        var outcome = await Node.Functions.ApplyAsync(this, module, function, args).ConfigureAwait(false);
        switch (outcome.Class)
        {
            case CallClass.Return:
                return;
            case CallClass.Exit:
                Exit(outcome.Value);
                break;
            case CallClass.Throw:
                Exit(new ErlangTuple(new ErlangTuple(SpawnAtoms.Nocatch, outcome.Value), outcome.Stack));
                break;
            default:
                Exit(new ErlangTuple(outcome.Value, outcome.Stack));
                break;
        }
    }
}
