using Beamwire.Terms;

namespace Beamwire.Node;

/// <summary>When a supervisor restarts a child (OTP's restart types).</summary>
public enum RestartType
{
    /// <summary>Always restarted.</summary>
    Permanent,

    /// <summary>Restarted only after an abnormal exit (not <c>normal</c>, <c>shutdown</c> or <c>{shutdown, _}</c>).</summary>
    Transient,

    /// <summary>Never restarted.</summary>
    Temporary,
}

/// <summary>A worker or a supervisor (changes the default shutdown, and what which_children reports).</summary>
public enum ChildType
{
    Worker,
    Supervisor,
}

/// <summary>
/// A supervisor's child specification. <see cref="Start"/> runs in the supervisor's process and must start
/// the child linked to it (e.g. <c>(sup, _) =&gt; GenServer.StartLinkAsync(sup, new MyServer())</c> or
/// <c>(sup, _) =&gt; Task.FromResult(sup.SpawnLink(body))</c>); its argument is <c>[]</c> for static children
/// and the <c>start_child</c> argument for dynamic (simple_one_for_one) ones.
/// </summary>
public sealed record ChildSpec(string Id, Func<LocalProcess, ErlangTerm, Task<ErlangPid>> Start)
{
    /// <summary>A child started without an argument.</summary>
    public static ChildSpec Create(string id, Func<LocalProcess, Task<ErlangPid>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        return new ChildSpec(id, (sup, _) => start(sup));
    }

    public RestartType Restart { get; init; } = RestartType.Permanent;

    /// <summary>
    /// How long the child gets to stop after <c>exit(Child, shutdown)</c> before it is killed; <see cref="TimeSpan.Zero"/>
    /// is brutal_kill, <see cref="Timeout.InfiniteTimeSpan"/> waits forever. Default: 5 s for workers, infinity for supervisors.
    /// </summary>
    public TimeSpan? Shutdown { get; init; }

    public ChildType Type { get; init; } = ChildType.Worker;

    internal TimeSpan ShutdownTimeout => Shutdown ?? (Type == ChildType.Supervisor ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(5));
}

/// <summary>How a supervisor restarts (OTP's strategies).</summary>
public enum SupervisorStrategy
{
    /// <summary>Only the child that exited is restarted.</summary>
    OneForOne,

    /// <summary>All children are stopped and restarted.</summary>
    OneForAll,

    /// <summary>The child that exited and those started after it are stopped and restarted.</summary>
    RestForOne,

    /// <summary>Dynamic children of one template spec, started with <see cref="Supervisor.StartChildAsync(ErlangTerm)"/>.</summary>
    SimpleOneForOne,
}

/// <summary>A supervisor's flags: strategy and restart intensity (at most <see cref="MaxRestarts"/> in <see cref="Period"/>).</summary>
public sealed record SupervisorOptions
{
    public SupervisorStrategy Strategy { get; init; } = SupervisorStrategy.OneForOne;

    /// <summary>OTP's intensity (default 1).</summary>
    public int MaxRestarts { get; init; } = 1;

    /// <summary>OTP's period (default 5 s).</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>One child as <c>which_children</c> reports it: its pid, or null when not running.</summary>
public sealed record SupervisorChild(string Id, ErlangPid? Pid, ChildType Type);
