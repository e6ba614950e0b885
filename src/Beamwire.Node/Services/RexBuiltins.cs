using System.Reflection;
using System.Runtime.InteropServices;
using Beamwire.Epmd;
using Beamwire.Node.Processes;
using Beamwire.Terms;

namespace Beamwire.Node.Services;

/// <summary>
/// The functions every Beamwire node exposes besides the user's: erpc's entry points (so <c>erpc:call</c>
/// from a BEAM spawns here), the introspection operators run on any node (<c>erlang:node/0</c>,
/// <c>nodes/0,1</c>, <c>is_alive/0</c>, <c>registered/0</c>, <c>whereis/1</c>, <c>processes/0</c>,
/// <c>system_info/1</c>, <c>net_adm:names/0</c>) with Erlang's result shapes, <c>io</c> output that goes
/// to the caller's group leader, and the operator's functions (<see cref="OperatorFunctions"/>).
/// </summary>
internal static class RexBuiltins
{
    private static readonly ErlangAtom Return = ErlangAtom.Get("return");
    private static readonly ErlangAtom Throw = ErlangAtom.Get("throw");
    private static readonly ErlangAtom ExitAtom = ErlangAtom.Get("exit");
    private static readonly ErlangAtom ErrorAtom = ErlangAtom.Get("error");
    private static readonly ErlangAtom Exception = ErlangAtom.Get("exception");

    public static void Register(BeamNode node, FunctionRegistry functions)
    {
        RegisterErpc(functions);
        RegisterErlang(node, functions);
        functions.Register("net_adm", "names", 0, async (self, _) => await NamesAsync(self.Node).ConfigureAwait(false));
        IoFunctions.Register(functions);
        OperatorFunctions.Register(node, functions);
    }

    private static void RegisterErpc(FunctionRegistry functions)
    {
        // erpc:call spawns erpc:execute_call(Ref, M, F, A) here with a monitor; the result travels as the
        // process's exit reason: {Ref, return, V} | {Ref, throw, V} | {Ref, exit, R} | {Ref, error, R, Stack}.
        functions.Register("erpc", "execute_call", 4, async (self, args) =>
        {
            var outcome = await ApplyArgsAsync(self, args[1], args[2], args[3]).ConfigureAwait(false);
            var reason = outcome.Class switch
            {
                CallClass.Return => new ErlangTuple(args[0], Return, outcome.Value),
                CallClass.Throw => new ErlangTuple(args[0], Throw, outcome.Value),
                CallClass.Exit => new ErlangTuple(args[0], ExitAtom, outcome.Value),
                _ => new ErlangTuple(args[0], ErrorAtom, outcome.Value, outcome.Stack),
            };
            throw new ProcessExitException(reason);
        });
        functions.Register("erpc", "execute_call", 3, async (self, args) =>
        {
            var outcome = await ApplyArgsAsync(self, args[0], args[1], args[2]).ConfigureAwait(false);
            return outcome.Class switch
            {
                CallClass.Return => new ErlangTuple(Return, outcome.Value),
                CallClass.Throw => throw new ErlangThrowException(outcome.Value),
                CallClass.Exit => throw new ProcessExitException(outcome.Value),
                _ => throw new ErlangErrorException(outcome.Value),
            };
        });
        functions.Register("erpc", "execute_cast", 3, async (self, args) =>
        {
            var outcome = await ApplyArgsAsync(self, args[0], args[1], args[2]).ConfigureAwait(false);
            if (outcome.Class == CallClass.Error)
                throw new ErlangErrorException(new ErlangTuple(Exception, new ErlangTuple(outcome.Value, outcome.Stack)));
            return ErlangAtom.Ok;
        });
    }

    private static ValueTask<CallOutcome> ApplyArgsAsync(BeamProcess self, ErlangTerm m, ErlangTerm f, ErlangTerm a)
    {
        if (m is not ErlangAtom module || f is not ErlangAtom function || ProcessAtoms.ListElements(a) is not { } args)
            return new ValueTask<CallOutcome>(new CallOutcome(CallClass.Error, ErlangAtom.Badarg, ErlangList.Nil));
        return self.Node.Functions.ApplyAsync(self, module, function, args);
    }

    private static void RegisterErlang(BeamNode node, FunctionRegistry functions)
    {
        functions.Register("erlang", "node", 0, _ => node.SelfAtom);
        functions.Register("erlang", "node", 1, args => args[0] switch
        {
            ErlangPid p => p.Node,
            ErlangReference r => r.Node,
            ErlangPort p => p.Node,
            _ => throw new ErlangErrorException(ErlangAtom.Badarg),
        });
        functions.Register("erlang", "nodes", 0, _ => AtomList(node.Nodes(NodeListKind.Visible)));
        functions.Register("erlang", "nodes", 1, args => Nodes(node, args[0]));
        functions.Register("erlang", "is_alive", 0, _ => ErlangAtom.True);
        functions.Register("erlang", "registered", 0, _ => new ErlangList([.. node.Processes.RegisteredNames]));
        functions.Register("erlang", "whereis", 1, args => args[0] is ErlangAtom name
            ? (ErlangTerm?)node.Processes.Whereis(name)?.Pid ?? ErlangAtom.Undefined
            : throw new ErlangErrorException(ErlangAtom.Badarg));
        functions.Register("erlang", "processes", 0, _ => new ErlangList([.. node.ListProcesses()]));
        functions.Register("erlang", "is_process_alive", 1, args => args[0] is ErlangPid pid && ReferenceEquals(pid.Node, node.SelfAtom)
            ? node.IsProcessAlive(pid)
            : throw new ErlangErrorException(ErlangAtom.Badarg));
        functions.Register("erlang", "system_info", 1, args => SystemInfo(node, args[0]));
    }

    private static ErlangList AtomList(IEnumerable<NodeName> nodes) => new([.. nodes.Select(n => (ErlangTerm)ErlangAtom.Get(n.Full))]);

    /// <summary>erlang:nodes/1 with an atom or a list of visible | hidden | connected | this | known.</summary>
    private static ErlangList Nodes(BeamNode node, ErlangTerm arg)
    {
        var kinds = arg is ErlangAtom one ? [one] : ProcessAtoms.ListElements(arg) ?? throw new ErlangErrorException(ErlangAtom.Badarg);
        var result = new List<ErlangTerm>();
        foreach (var k in kinds)
        {
            IEnumerable<ErlangTerm> add = (k as ErlangAtom)?.Name switch
            {
                "visible" => AtomList(node.Nodes(NodeListKind.Visible)).Elements.ToArray(),
                "hidden" => AtomList(node.Nodes(NodeListKind.Hidden)).Elements.ToArray(),
                "connected" => AtomList(node.Nodes(NodeListKind.Connected)).Elements.ToArray(),
                "this" => [node.SelfAtom],
                "known" => AtomList(node.Nodes(NodeListKind.Known)).Elements.ToArray(),
                _ => throw new ErlangErrorException(ErlangAtom.Badarg),
            };
            foreach (var n in add)
            {
                if (!result.Contains(n)) result.Add(n);
            }
        }

        return new ErlangList([.. result]);
    }

    /// <summary>erlang:system_info/1 about the Beamwire runtime (strings are charlists, as Erlang's are).</summary>
    private static ErlangTerm SystemInfo(BeamNode node, ErlangTerm item)
    {
        var version = typeof(BeamNode).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        var cores = Environment.ProcessorCount;
        return (item as ErlangAtom)?.Name switch
        {
            "otp_release" => new ErlangString("beamwire"),
            "version" => new ErlangString(version),
            "machine" => new ErlangString("Beamwire"),
            "system_version" => new ErlangString(
                $"Beamwire {version} on .NET {Environment.Version} [{RuntimeInformation.OSDescription}] [{RuntimeInformation.ProcessArchitecture}] [cores:{cores}]\n"),
            "process_count" => ErlangInteger.Create(node.ProcessCount),
            "process_limit" => ErlangInteger.Create(int.MaxValue),
            "schedulers" or "schedulers_online" or "logical_processors" or "logical_processors_available" => ErlangInteger.Create(cores),
            "wordsize" => ErlangInteger.Create(IntPtr.Size),
            "creation" => ErlangInteger.Create(node.Creation),
            "thread_pool_size" => ErlangInteger.Create(ThreadPool.ThreadCount),
            "dist_buf_busy_limit" => ErlangInteger.Create(node.Options.SendQueueLimit),
            _ => throw new ErlangErrorException(ErlangAtom.Badarg),
        };
    }

    /// <summary>net_adm:names/0: <c>{ok, [{"name", Port}]}</c> from this host's epmd, or <c>{error, address}</c>.</summary>
    private static async Task<ErlangTerm> NamesAsync(BeamNode node)
    {
        try
        {
            var client = new EpmdClient(node.Options.EpmdHost, node.Options.EpmdPort);
            var names = await client.NamesAsync().ConfigureAwait(false);
            return new ErlangTuple(ErlangAtom.Ok, new ErlangList([.. names.Select(n => (ErlangTerm)new ErlangTuple(new ErlangString(n.Name), ErlangInteger.Create(n.Port)))]));
        }
        catch (Exception ex) when (ex is EpmdException or IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return new ErlangTuple(ErlangAtom.Error, ErlangAtom.Get("address"));
        }
    }
}
