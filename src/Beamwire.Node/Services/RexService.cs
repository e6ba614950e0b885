using Beamwire.Node.Otp;
using Beamwire.Node.Processes;
using Beamwire.Terms;

namespace Beamwire.Node.Services;

/// <summary>
/// <c>rex</c>, the rpc server: runs <c>rpc:call/4,5</c>, <c>rpc:block_call</c>, <c>rpc:cast</c> and the
/// hidden-node <c>{From, {call, ...}}</c> form against the node's <see cref="FunctionRegistry"/>, each in a
/// fresh process whose group leader is the caller's (so what it prints appears at the caller, as with
/// OTP), answering with rpc's shapes: the value, or <c>{badrpc, {'EXIT', Reason}}</c>. Also answers
/// <c>features_request</c> (this node runs erpc: it handles SPAWN_REQUEST), <c>send</c> and <c>sbcast</c>.
/// </summary>
internal sealed class RexService : ServiceProcess
{
    private static readonly ErlangAtom FeaturesRequest = ErlangAtom.Get("features_request");
    private static readonly ErlangAtom FeaturesReply = ErlangAtom.Get("features_reply");
    private static readonly ErlangAtom Erpc = ErlangAtom.Get("erpc");
    private static readonly ErlangAtom Call = ErlangAtom.Get("call");
    private static readonly ErlangAtom BlockCall = ErlangAtom.Get("block_call");
    private static readonly ErlangAtom CastAtom = ErlangAtom.Get("cast");
    private static readonly ErlangAtom SendAtom = ErlangAtom.Get("send");
    private static readonly ErlangAtom Sbcast = ErlangAtom.Get("sbcast");
    private static readonly ErlangAtom BadRpc = ErlangAtom.Get("badrpc");
    private static readonly ErlangAtom NonexistingName = ErlangAtom.Get("nonexisting_name");

    public RexService(BeamNode node) : base(node, "rex") { }

    protected override void Handle(ErlangTerm message)
    {
        if (GenMessages.TryParseCall(message, out var caller, out var tag, out var request))
        {
            if (TryParseMfa(request, out var kind, out var m, out var f, out var a, out var gl) && (kind == Call || kind == BlockCall))
                RunCall(m, f, a, gl, reply => GenReply.Send(Node, Pid, caller, tag, reply));
            else ServiceLog.Ignored(Logger, Name.Name, message);
            return;
        }

        if (GenMessages.TryParseCast(message, out var cast))
        {
            if (TryParseMfa(cast, out var kind, out var m, out var f, out var a, out var gl) && kind == CastAtom) RunCall(m, f, a, gl, null);
            return;
        }

        if (message is ErlangTuple { Count: 2 } t && t[0] is ErlangPid from)
        {
            if (ReferenceEquals(t[1], FeaturesRequest))
            {
                Node.Router.SendNow(Pid, from, new ErlangTuple(FeaturesReply, Node.SelfAtom, new ErlangList(Erpc)));
                return;
            }

            if (TryParseMfa(t[1], out var kind, out var m, out var f, out var a, out var gl) && kind == Call)
            {
                RunCall(m, f, a, gl, reply => Node.Router.SendNow(Pid, from, new ErlangTuple(Name, reply)));
                return;
            }

            if (t[1] is ErlangTuple { Count: 3 } s && s[1] is ErlangAtom target)
            {
                if (ReferenceEquals(s[0], SendAtom))
                {
                    Node.Router.SendNow(Pid, target, Node.SelfAtom, new ErlangTuple(from, s[2]));
                    return;
                }

                if (ReferenceEquals(s[0], Sbcast))
                {
                    var exists = Node.Processes.Whereis(target) is not null;
                    Node.Router.SendNow(Pid, target, Node.SelfAtom, s[2]);
                    Node.Router.SendNow(Pid, from, new ErlangTuple(Name, Node.SelfAtom, exists ? Node.SelfAtom : new ErlangTuple(NonexistingName, target)));
                    return;
                }
            }
        }

        ServiceLog.Ignored(Logger, Name.Name, message);
    }

    private static bool TryParseMfa(ErlangTerm request, out ErlangAtom kind, out ErlangAtom module, out ErlangAtom function, out ErlangTerm[] args, out ErlangPid? groupLeader)
    {
        // {call | block_call | cast, M, F, A, GroupLeader}
        if (request is ErlangTuple { Count: 5 } r && r[0] is ErlangAtom k && r[1] is ErlangAtom m && r[2] is ErlangAtom f &&
            ProcessAtoms.ListElements(r[3]) is { } a)
        {
            (kind, module, function, args, groupLeader) = (k, m, f, a, r[4] as ErlangPid);
            return true;
        }

        (kind, module, function, args, groupLeader) = (null!, null!, null!, null!, null);
        return false;
    }

    /// <summary>
    /// Applies M:F(A) in a new process and hands rpc's answer to <paramref name="reply"/>. For a peer's call (rex
    /// handles it on the connection's reader thread) the process starts on that thread once the read is handed
    /// out (no pool hop); one that blocks its thread there is moved off the connection's reading by the reader
    /// watchdog. A local caller's goes to the pool.
    /// </summary>
    private void RunCall(ErlangAtom module, ErlangAtom function, ErlangTerm[] args, ErlangPid? groupLeader, Action<ErlangTerm>? reply)
    {
        var registry = Node.Functions;
        // From a peer: starts on the reader thread after the read (see LocalProcess.ScheduleStart).
        Node.SpawnCore(new DelegateProcess(async self =>
        {
            self.GroupLeader = groupLeader;
            var outcome = await registry.ApplyAsync(self, module, function, args).ConfigureAwait(false);
            reply?.Invoke(RpcAnswer(outcome));
        }), null, null, link: false, monitor: false, out _, runNext: true);
    }

    /// <summary>What <c>case catch apply(M, F, A)</c> gives rpc: the value (a thrown one too) or <c>{badrpc, {'EXIT', ...}}</c>.</summary>
    internal static ErlangTerm RpcAnswer(CallOutcome outcome) => outcome.Class switch
    {
        CallClass.Return when outcome.Value is ErlangTuple { Count: 2 } v && ReferenceEquals(v[0], ProcessAtoms.Exit) => new ErlangTuple(BadRpc, v),
        CallClass.Return or CallClass.Throw => outcome.Value,
        CallClass.Exit => new ErlangTuple(BadRpc, new ErlangTuple(ProcessAtoms.Exit, outcome.Value)),
        _ => new ErlangTuple(BadRpc, new ErlangTuple(ProcessAtoms.Exit, new ErlangTuple(outcome.Value, outcome.Stack))),
    };
}
