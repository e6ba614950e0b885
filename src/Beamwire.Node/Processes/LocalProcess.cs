using Beamwire.Node.Processes;
using Beamwire.Terms;

namespace Beamwire.Node;

/// <summary>
/// A process of this node, as Erlang has them: a pid, a mailbox with selective receive, links, monitors,
/// aliases and exit signals with Erlang's semantics, locally and across the wire. A
/// <see cref="BeamProcess"/> runs a body (spawned from a delegate or a class); a <see cref="Mailbox"/> is
/// driven from outside. Both are cheap: an idle process holds no thread and, while it waits in a
/// receive, only a registered continuation.
/// </summary>
/// <remarks>
/// Signals (links, monitors, exits) are applied as they arrive, under a per-process lock, in the order
/// their sender sent them relative to its messages: a message sent before an exit signal is in the
/// mailbox before the exit takes effect. A killed process cannot be stopped mid-instruction in .NET:
/// it is dead for everyone else at once (pid unregistered, links and monitors told), and its own code
/// sees <see cref="ProcessExitException"/> at its next receive or send.
/// </remarks>
public abstract partial class LocalProcess : IProcess, IThreadPoolWorkItem
{
    private const int Alive = 0;
    private const int Exiting = 1;
    private const int Dead = 2;

    private readonly object _gate = new();
    private BeamNode _node = null!;
    private ErlangPid _pid = null!;
    private volatile int _life;
    private volatile bool _trapExit;
    private ErlangTerm? _exitReason;
    private TaskCompletionSource<ErlangTerm>? _completion;

    private protected LocalProcess()
    {
    }

    /// <summary>This process's pid.</summary>
    public ErlangPid Pid => _pid;

    /// <summary>The node the process runs on.</summary>
    public BeamNode Node => _node;

    /// <summary>False once the process has exited (or been killed).</summary>
    public bool IsAlive => _life == Alive;

    /// <summary>The exit reason once the process has exited, else null.</summary>
    public ErlangTerm? ExitReason => _life == Alive ? null : _exitReason;

    /// <summary>
    /// <c>process_flag(trap_exit, Flag)</c>: when set, exit signals (except <c>kill</c> sent with
    /// <see cref="SendExit"/>) arrive as <c>{'EXIT', From, Reason}</c> messages instead of killing the process.
    /// </summary>
    public bool TrapExit
    {
        get => _trapExit;
        set => _trapExit = value;
    }

    /// <summary>Completes with the exit reason when the process has exited.</summary>
    public Task<ErlangTerm> Completion
    {
        get
        {
            lock (_gate)
            {
                if (_life == Dead) return Task.FromResult(_exitReason!);
                _completion ??= new TaskCompletionSource<ErlangTerm>(TaskCreationOptions.RunContinuationsAsynchronously);
                return _completion.Task;
            }
        }
    }

    /// <summary><c>exit(Reason)</c>: ends the calling process with <paramref name="reason"/> (throws <see cref="ProcessExitException"/>).</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Exit(ErlangTerm reason) => throw new ProcessExitException(reason);

    /// <summary><c>exit(Pid, Reason)</c>: sends an exit signal to a process on any node (EXIT2 / PAYLOAD_EXIT2 across the wire).</summary>
    public void SendExit(ErlangPid to, ErlangTerm reason)
    {
        ThrowIfExited();
        _node.Signals.SendExit2(_pid, to, reason);
        ThrowIfExited(); // exit(self(), Reason) takes effect at once
    }

    /// <summary>Registers this process under <paramref name="name"/> (<c>register/2</c>); false when the name is taken or the process has one.</summary>
    public bool Register(string name)
    {
        ThrowIfExited();
        return _node.Processes.Register(ErlangAtom.Get(name), this);
    }

    /// <summary>Removes this process's registered name, if any.</summary>
    public void Unregister() => _node.Processes.Unregister(this);

    /// <summary>The registered name, if any.</summary>
    public string? RegisteredName => _node.Processes.NameOf(this)?.Name;

    /// <summary>The group leader (where io requests of code running in this process go), if one was set.</summary>
    public ErlangPid? GroupLeader { get; set; }

    private protected void Attach(BeamNode node, ErlangPid pid)
    {
        _node = node;
        _pid = pid;
    }

    void IProcess.Deliver(ErlangTerm message) => Enqueue(message);

    /// <summary>Throws <see cref="ProcessExitException"/> (or what the subclass throws) once the process has exited.</summary>
    protected void ThrowIfExited()
    {
        if (_life != Alive) throw ExitedException();
    }

    /// <summary>What receive and send throw once the process has exited.</summary>
    private protected virtual Exception ExitedException() => new ProcessExitException(_exitReason ?? ErlangAtom.Normal);

    /// <summary>Called once, after links and monitors were told, when the process has exited.</summary>
    private protected virtual void OnExited(ErlangTerm reason)
    {
    }

    /// <summary>
    /// Ends the process with <paramref name="reason"/> (idempotent): unregisters it, sends exit signals over
    /// its active links and DOWN to its monitors, drops its own monitors and aliases, fails a pending receive.
    /// </summary>
    internal void Terminate(ErlangTerm reason)
    {
        Dictionary<ErlangPid, ulong>? links;
        Dictionary<ErlangReference, MonitorEntry>? monitors;
        Dictionary<ErlangReference, Watcher>? watchers;
        List<ErlangReference>? aliases;
        HashSet<ErlangAtom>? remote;
        lock (_gate)
        {
            if (_life != Alive) return;
            _exitReason = reason;
            _life = Exiting;
            (links, _links) = (_links, null);
            (monitors, _monitors) = (_monitors, null);
            (watchers, _watchers) = (_watchers, null);
            (aliases, _aliases) = (_aliases, null);
            (remote, _remoteNodes) = (_remoteNodes, null);
        }

        var node = _node;
        node.Processes.Remove(this);
        var signals = node.Signals;
        if (aliases is not null)
        {
            foreach (var a in aliases) node.Processes.RemoveAlias(a);
        }

        if (links is not null)
        {
            foreach (var (pid, unlinking) in links)
            {
                // An inactive (unlinking) link is already gone for the peer: it removed it on our UNLINK_ID.
                if (unlinking == 0) signals.SendLinkExit(_pid, pid, reason);
            }
        }

        if (watchers is not null)
        {
            foreach (var (mref, w) in watchers) signals.SendDown((ErlangTerm?)w.Name ?? _pid, w.Pid, mref, reason);
        }

        if (monitors is not null)
        {
            foreach (var (mref, m) in monitors) signals.SendDemonitor(_pid, m.Target, m.Node, mref);
        }

        if (remote is not null)
        {
            foreach (var n in remote) signals.RemoveInterest(n, this);
        }

        if (_watchesNodes) node.NodeMonitors.Remove(this);
        TaskCompletionSource<ErlangTerm>? completion;
        lock (_gate)
        {
            _life = Dead;
            completion = _completion;
        }

        WakeReceiver();
        _deadline?.Release();
        node.ProcessMetrics.Exited(reason);
        OnExited(reason);
        completion?.TrySetResult(reason);
    }

    public override string ToString() => $"{GetType().Name} {_pid}";
}
