using Beamwire.Node.Diagnostics;
using Beamwire.Node.Processes;
using Beamwire.Node.Services;
using Beamwire.Terms;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node;

// The process model's face on the node: spawning, the name registry, exit signals from outside any process.
public sealed partial class BeamNode
{
    internal SignalRouter Signals { get; private set; } = null!;

    internal NodeMonitors NodeMonitors { get; private set; } = null!;

    internal ILogger ProcessLogger { get; private set; } = null!;

    internal RemoteSpawn RemoteSpawn { get; private set; } = null!;

    /// <summary>The node's own group leader (the <c>user</c> io server): where remote code run for this node prints.</summary>
    internal ErlangPid GroupLeaderPid { get; private set; } = null!;

    /// <summary>The node's system process (sends made by the node itself come from it).</summary>
    internal LocalProcess SystemProcess => _system;

    /// <summary>
    /// The .NET functions this node exposes to Erlang as <c>{Module, Function, Arity}</c>: what
    /// <c>rpc:call</c>, <c>erpc:call</c> and remote <c>spawn</c> from other nodes run here.
    /// </summary>
    public FunctionRegistry Functions { get; } = new();

    internal ProcessMetrics ProcessMetrics { get; private set; } = null!;

    private void InitProcesses()
    {
        ProcessMetrics = new ProcessMetrics(Self.Full, () => Processes.Count, MeterFactory);
        Signals = new SignalRouter(Processes, Connections, Router, SelfAtom);
        NodeMonitors = new NodeMonitors(Connections, Router);
        ProcessLogger = LoggerFactory.CreateLogger("Beamwire.Node.Processes");
        RemoteSpawn = new RemoteSpawn(this);
        RexBuiltins.Register(this, Functions);
        var user = IoFunctions.CreateUser(this);
        Processes.Add(user);
        if (!Processes.Register(ErlangAtom.Get("user"), user)) throw new InvalidOperationException("The name user is already registered.");
        GroupLeaderPid = user.Pid;
    }

    /// <summary>
    /// A group leader whose output goes to <paramref name="write"/> (called with each piece of text, on the
    /// thread that delivers the request: keep it short and non-blocking). See <see cref="GroupLeader"/>.
    /// </summary>
    public GroupLeader CreateGroupLeader(Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return new GroupLeader(this, write);
    }

    /// <summary>
    /// <c>rpc:call(Node, Module, Function, Args, Timeout)</c>: runs the function on <paramref name="node"/>
    /// (any BEAM node, or a Beamwire node's exposed functions) through its <c>rex</c> server and returns the
    /// result. Fails with <see cref="RpcException"/> carrying what rpc returns as <c>{badrpc, Reason}</c>
    /// (<c>nodedown</c>, <c>timeout</c>, <c>{'EXIT', {undef, ...}}</c> ...). Output the function prints comes
    /// back to this node's group leader (logged).
    /// </summary>
    public Task<ErlangTerm> RpcAsync(string node, string module, string function, IReadOnlyList<ErlangTerm> args, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RpcAsync(node, module, function, args, GroupLeaderPid, timeout, cancellationToken);

    /// <summary>
    /// <c>rpc:call/5</c> with <paramref name="groupLeader"/> as the remote process's group leader: what the
    /// function prints goes there (a <see cref="GroupLeader"/>, or any process speaking the io protocol).
    /// </summary>
    public async Task<ErlangTerm> RpcAsync(string node, string module, string function, IReadOnlyList<ErlangTerm> args, ErlangPid groupLeader, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(groupLeader);
        var request = new ErlangTuple(ErlangAtom.Get("call"), ErlangAtom.Get(module), ErlangAtom.Get(function), new ErlangList([.. args]), groupLeader);
        ErlangTerm reply;
        try
        {
            reply = await GenServer.CallAsync(this, ServerRef.Remote("rex", node), request, timeout ?? Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }
        catch (GenServerCallException e)
        {
            // rpc:rpc_check: {nodedown, _} and timeouts become plain reasons.
            throw new RpcException(e.Reason is ErlangTuple { Count: 2 } nd && ReferenceEquals(nd[0], ProcessAtoms.NodeDown) || ReferenceEquals(e.Reason, ErlangAtom.NoProc)
                ? ProcessAtoms.NodeDown
                : e.Reason);
        }

        if (reply is ErlangTuple { Count: 2 } bad && bad[0] is ErlangAtom { Name: "badrpc" }) throw new RpcException(bad[1]);
        return reply;
    }

    /// <summary>A stopping node ends its processes (<c>shutdown</c>), after its connections closed, as a halting BEAM does.</summary>
    private void StopProcesses()
    {
        foreach (var p in Processes.All)
        {
            if (p is LocalProcess local) local.Terminate(ErlangAtom.Shutdown);
        }

        ProcessMetrics.Dispose();
    }

    /// <summary>Spawns a process running <paramref name="body"/> (<c>spawn/1</c>).</summary>
    public ErlangPid Spawn(Func<BeamProcess, Task> body, SpawnOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        return SpawnCore(new DelegateProcess(body), options, null, link: false, monitor: false, out _);
    }

    /// <summary>Spawns <paramref name="process"/> (a fresh instance of a <see cref="BeamProcess"/> subclass).</summary>
    public ErlangPid Spawn(BeamProcess process, SpawnOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        return SpawnCore(process, options, null, link: false, monitor: false, out _);
    }

    /// <summary>
    /// Gives the process its pid, registers it, links or monitors it from <paramref name="parent"/> (before it
    /// can run, so no exit is missed), then queues its body on the thread pool (or, with <paramref name="runNext"/>
    /// and on a connection's reader handing out a read, runs it there after the read: a peer's rpc call).
    /// </summary>
    internal ErlangPid SpawnCore(BeamProcess process, SpawnOptions? options, LocalProcess? parent, bool link, bool monitor, out ErlangReference? monitorRef, bool runNext = false)
    {
        if (process.Pid is not null) throw new InvalidOperationException("This process instance was already spawned; spawn a new instance.");
        var pid = Processes.NewPid();
        process.Start(this, pid);
        process.TrapExit = options?.TrapExit ?? false;
        Processes.Add(process);
        if (options?.Name is { } name && !Processes.Register(ErlangAtom.Get(name), process))
        {
            Processes.Remove(process);
            throw new ArgumentException($"The name '{name}' is already registered on {Self}.", nameof(options));
        }

        if (link) parent!.Link(pid);
        monitorRef = monitor ? parent!.Monitor(pid) : null;
        ProcessMetrics.Spawned();
        process.Run(runNext);
        return pid;
    }

    /// <summary><c>whereis/1</c>: the pid registered under <paramref name="name"/> on this node, or null.</summary>
    public ErlangPid? WhereIs(string name) => Processes.Whereis(ErlangAtom.Get(name))?.Pid;

    /// <summary><c>register/2</c>: false when the name is taken, the process has a name, or the pid is not a live local process.</summary>
    public bool Register(string name, ErlangPid pid) =>
        Processes.Lookup(pid) is LocalProcess { IsAlive: true } p && Processes.Register(ErlangAtom.Get(name), p);

    /// <summary><c>unregister/1</c>: false when nothing was registered under the name.</summary>
    public bool Unregister(string name) => Processes.Unregister(ErlangAtom.Get(name));

    /// <summary><c>exit(Pid, Reason)</c> sent by the node's system process (<c>kill</c> kills even a process trapping exits).</summary>
    public void Exit(ErlangPid pid, ErlangTerm reason) => _system.SendExit(pid, reason);

    /// <summary><c>is_process_alive/1</c> for a pid of this node.</summary>
    public bool IsProcessAlive(ErlangPid pid) => Processes.Lookup(pid) is { } p && (p is not LocalProcess lp || lp.IsAlive);

    /// <summary>How many processes run on this node (<c>erlang:system_info(process_count)</c>).</summary>
    public int ProcessCount => Processes.Count;

    /// <summary>The pids of the processes on this node (<c>processes/0</c>).</summary>
    public IReadOnlyList<ErlangPid> ListProcesses() => Processes.All.Select(p => p.Pid).ToList();
}
