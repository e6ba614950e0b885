using System.Collections.Concurrent;
using System.Diagnostics;
using Beamwire.Node.Processes;
using Beamwire.Terms;

namespace Beamwire.Node;

/// <summary>
/// An OTP supervisor: starts its children in order, linked, and restarts them by strategy
/// (<see cref="SupervisorStrategy"/>) and restart type (<see cref="RestartType"/>) within its restart
/// intensity; past it, stops every child and exits <c>shutdown</c>. Children stop in reverse start order,
/// each with <c>exit(Child, shutdown)</c> and its shutdown timeout before <c>kill</c>. Start it like any
/// GenServer (<see cref="GenServer.StartLinkAsync"/> under a parent supervisor). Erlang tools can ask it
/// <c>supervisor:which_children/1</c>, <c>count_children/1</c>, <c>terminate_child/2</c>,
/// <c>restart_child/2</c>, <c>delete_child/2</c> and (simple_one_for_one) <c>start_child/2</c>.
/// </summary>
public sealed class Supervisor : GenServer
{
    private static readonly ErlangAtom OpAtom = ErlangAtom.Get("$beamwire_supervisor_op");
    private static readonly ErlangTuple OpMessage = new(OpAtom);
    private readonly SupervisorOptions _options;
    private readonly List<ChildSpec> _specs;
    private readonly List<Child> _children = [];
    private readonly Queue<long> _restarts = new();
    private readonly ConcurrentQueue<Operation> _ops = new();

    public Supervisor(SupervisorOptions options, IEnumerable<ChildSpec> children)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(children);
        _options = options;
        _specs = [.. children];
        if (options.Strategy == SupervisorStrategy.SimpleOneForOne && _specs.Count != 1)
            throw new ArgumentException("simple_one_for_one takes exactly one (template) child spec.", nameof(children));
        if (_specs.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count() != _specs.Count)
            throw new ArgumentException("Child ids must be unique.", nameof(children));
    }

    private sealed class Child(ChildSpec spec, ErlangTerm argument)
    {
        public ChildSpec Spec { get; } = spec;
        public ErlangTerm Argument { get; } = argument;
        public ErlangPid? Pid { get; set; }
    }

    private bool IsSimple => _options.Strategy == SupervisorStrategy.SimpleOneForOne;

    // ---- the .NET API: operations run inside the supervisor's own process, in order ------------

    /// <summary>supervisor:start_child/2 with a spec (not for simple_one_for_one).</summary>
    public Task<ErlangPid> StartChildAsync(ChildSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return RunAsync(async () =>
        {
            if (IsSimple) throw new InvalidOperationException("A simple_one_for_one supervisor starts children from its template: pass an argument.");
            if (_children.Any(c => c.Spec.Id == spec.Id)) throw new ArgumentException($"A child '{spec.Id}' already exists.", nameof(spec));
            var child = new Child(spec, ErlangList.Nil);
            child.Pid = await spec.Start(this, child.Argument).ConfigureAwait(false);
            _children.Add(child);
            return child.Pid;
        });
    }

    /// <summary>supervisor:start_child/2 of a simple_one_for_one supervisor: a new child of the template, started with <paramref name="argument"/>.</summary>
    public Task<ErlangPid> StartChildAsync(ErlangTerm argument) => RunAsync(() => StartDynamicAsync(argument));

    /// <summary>supervisor:terminate_child/2 by id: stops it (the spec stays, for <see cref="RestartChildAsync"/>). False when unknown.</summary>
    public Task<bool> TerminateChildAsync(string id) => RunAsync(() => TerminateAsync(_children.FirstOrDefault(c => c.Spec.Id == id)));

    /// <summary>supervisor:terminate_child/2 by pid (dynamic children): stops and removes it.</summary>
    public Task<bool> TerminateChildAsync(ErlangPid pid) => RunAsync(() => TerminateAsync(_children.FirstOrDefault(c => pid.Equals(c.Pid))));

    /// <summary>supervisor:restart_child/2: starts a stopped child again.</summary>
    public Task<ErlangPid> RestartChildAsync(string id) => RunAsync(async () =>
    {
        var child = _children.FirstOrDefault(c => c.Spec.Id == id) ?? throw new KeyNotFoundException($"No child '{id}'.");
        if (child.Pid is not null) throw new InvalidOperationException($"Child '{id}' is running.");
        child.Pid = await child.Spec.Start(this, child.Argument).ConfigureAwait(false);
        return child.Pid;
    });

    /// <summary>supervisor:delete_child/2: forgets a stopped child's spec. False when unknown or running.</summary>
    public Task<bool> DeleteChildAsync(string id) => RunAsync(() =>
        Task.FromResult(_children.FirstOrDefault(c => c.Spec.Id == id) is { Pid: null } child && _children.Remove(child)));

    /// <summary>supervisor:which_children/1.</summary>
    public Task<IReadOnlyList<SupervisorChild>> WhichChildrenAsync() =>
        RunAsync(() => Task.FromResult<IReadOnlyList<SupervisorChild>>(_children.Select(c => new SupervisorChild(c.Spec.Id, c.Pid, c.Spec.Type)).ToList()));

    /// <summary>Stops the supervisor: its children in reverse order, then itself with <c>shutdown</c>.</summary>
    public Task StopAsync() => RunAsync(() =>
    {
        Stop(ErlangAtom.Shutdown);
        return Task.FromResult(true);
    });

    private Task<T> RunAsync<T>(Func<Task<T>> operation)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ops.Enqueue(new Operation(
            async () =>
            {
                try
                {
                    done.TrySetResult(await operation().ConfigureAwait(false));
                }
#pragma warning disable CA1031 // handed to the caller
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    done.TrySetException(ex);
                }
            },
            ex => done.TrySetException(ex)));
        if (IsAlive) Node.Router.SendNow(Node.SystemProcess.Pid, Pid, OpMessage);
        else FailOperations(ExitReason ?? ErlangAtom.NoProc);
        return done.Task;
    }

    private protected override void OnExited(ErlangTerm reason)
    {
        base.OnExited(reason);
        FailOperations(reason);
    }

    private void FailOperations(ErlangTerm reason)
    {
        while (_ops.TryDequeue(out var op)) op.Fail(new ProcessExitException(reason));
    }

    /// <summary>A .NET API call waiting to run inside the supervisor's process.</summary>
    private sealed record Operation(Func<Task> Run, Action<Exception> Fail);

    // ---- the process ---------------------------------------------------------------------------

    protected override async ValueTask InitAsync()
    {
        TrapExit = true;
        if (IsSimple) return;
        foreach (var spec in _specs)
        {
            var child = new Child(spec, ErlangList.Nil);
            try
            {
                child.Pid = await spec.Start(this, child.Argument).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not ProcessExitException || IsAlive)
            {
                await ShutdownAllAsync().ConfigureAwait(false);
                var why = ex is GenServerStartException g ? g.Reason : ProcessAtoms.ReasonOf(ex);
                Exit(new ErlangTuple(ErlangAtom.Shutdown, new ErlangTuple(ErlangAtom.Get("failed_to_start_child"), ErlangAtom.Get(spec.Id), why)));
            }

            _children.Add(child);
        }
    }

    protected override async ValueTask HandleInfoAsync(ErlangTerm message)
    {
        if (message is ErlangTuple { Count: 1 } op && ReferenceEquals(op[0], OpAtom))
        {
            while (_ops.TryDequeue(out var next)) await next.Run().ConfigureAwait(false);
            return;
        }

        if (message is ErlangTuple { Count: 3 } exit && ReferenceEquals(exit[0], ProcessAtoms.Exit) && exit[1] is ErlangPid pid &&
            _children.FirstOrDefault(c => pid.Equals(c.Pid)) is { } child)
        {
            await OnChildExitAsync(child, exit[2]).ConfigureAwait(false);
        }
    }

    protected override async ValueTask TerminateAsync(ErlangTerm reason) => await ShutdownAllAsync().ConfigureAwait(false);

    private async Task OnChildExitAsync(Child child, ErlangTerm reason)
    {
        child.Pid = null;
        var restart = child.Spec.Restart switch
        {
            RestartType.Permanent => true,
            RestartType.Transient => !IsNormalExit(reason),
            _ => false,
        };
        if (!restart)
        {
            if (IsSimple || child.Spec.Restart == RestartType.Temporary) _children.Remove(child);
            return;
        }

        List<Child> toRestart;
        switch (_options.Strategy)
        {
            case SupervisorStrategy.OneForAll:
                for (var i = _children.Count - 1; i >= 0; i--) await ShutdownChildAsync(_children[i]).ConfigureAwait(false);
                _children.RemoveAll(c => c.Spec.Restart == RestartType.Temporary && c != child);
                toRestart = [.. _children];
                break;
            case SupervisorStrategy.RestForOne:
                var at = _children.IndexOf(child);
                var after = _children.Skip(at + 1).ToList();
                for (var i = after.Count - 1; i >= 0; i--) await ShutdownChildAsync(after[i]).ConfigureAwait(false);
                foreach (var temporary in after.Where(c => c.Spec.Restart == RestartType.Temporary)) _children.Remove(temporary);
                toRestart = [child, .. after.Where(c => c.Spec.Restart != RestartType.Temporary)];
                break;
            default:
                toRestart = [child];
                break;
        }

        await RestartAsync(toRestart).ConfigureAwait(false);
    }

    /// <summary>Restarts <paramref name="children"/> in order; every attempt counts against the intensity.</summary>
    private async Task RestartAsync(List<Child> children)
    {
        foreach (var child in children)
        {
            while (child.Pid is null)
            {
                if (!CountRestart())
                {
                    // reached_max_restart_intensity: everything stops, then the supervisor exits shutdown.
                    await ShutdownAllAsync().ConfigureAwait(false);
                    Stop(ErlangAtom.Shutdown);
                    return;
                }

                try
                {
                    child.Pid = await child.Spec.Start(this, child.Argument).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not ProcessExitException || IsAlive)
                {
                    SupervisorLog.RestartFailed(Node.ProcessLogger, ex, child.Spec.Id);
                }
            }
        }
    }

    private bool CountRestart()
    {
        var now = Stopwatch.GetTimestamp();
        _restarts.Enqueue(now);
        var horizon = now - (long)(_options.Period.TotalSeconds * Stopwatch.Frequency);
        while (_restarts.Count > 0 && _restarts.Peek() < horizon) _restarts.Dequeue();
        return _restarts.Count <= _options.MaxRestarts;
    }

    private static bool IsNormalExit(ErlangTerm reason) =>
        ReferenceEquals(reason, ErlangAtom.Normal) || ReferenceEquals(reason, ErlangAtom.Shutdown) ||
        reason is ErlangTuple { Count: 2 } t && ReferenceEquals(t[0], ErlangAtom.Shutdown);

    private async Task<ErlangPid> StartDynamicAsync(ErlangTerm argument)
    {
        if (!IsSimple) throw new InvalidOperationException("Only a simple_one_for_one supervisor starts children from an argument.");
        var child = new Child(_specs[0], argument);
        child.Pid = await child.Spec.Start(this, argument).ConfigureAwait(false);
        _children.Add(child);
        return child.Pid;
    }

    private async Task<bool> TerminateAsync(Child? child)
    {
        if (child is null) return false;
        await ShutdownChildAsync(child).ConfigureAwait(false);
        if (IsSimple) _children.Remove(child);
        return true;
    }

    private async Task ShutdownAllAsync()
    {
        for (var i = _children.Count - 1; i >= 0; i--) await ShutdownChildAsync(_children[i]).ConfigureAwait(false);
    }

    /// <summary>OTP's shutdown/2: monitor, unlink, exit(shutdown) then kill after the timeout (or kill at once: brutal_kill).</summary>
    private async Task ShutdownChildAsync(Child child)
    {
        if (child.Pid is not { } pid) return;
        child.Pid = null;
        var mref = Monitor(pid);
        Unlink(pid);
        bool IsDown(ErlangTerm m) => ProcessAtoms.IsDownFor(m, mref);
        if (TryReceive(m => m is ErlangTuple { Count: 3 } e && ReferenceEquals(e[0], ProcessAtoms.Exit) && pid.Equals(e[1]), out _))
        {
            await ReceiveAsync(IsDown).ConfigureAwait(false); // it had already exited
            return;
        }

        var timeout = child.Spec.ShutdownTimeout;
        if (timeout == TimeSpan.Zero)
        {
            SendExit(pid, ErlangAtom.Kill);
            await ReceiveAsync(IsDown).ConfigureAwait(false);
            return;
        }

        SendExit(pid, ErlangAtom.Shutdown);
        if (await TryReceiveAsync(IsDown, timeout).ConfigureAwait(false) is null)
        {
            SendExit(pid, ErlangAtom.Kill);
            await ReceiveAsync(IsDown).ConfigureAwait(false);
        }
    }

    // ---- Erlang's supervisor calls ------------------------------------------------------------

    protected override async ValueTask<CallResult> HandleCallAsync(ErlangTerm request, GenServerFrom from)
    {
        switch (request)
        {
            case ErlangAtom { Name: "which_children" }:
                return new ErlangList([.. _children.Select(c => (ErlangTerm)new ErlangTuple(
                    ErlangAtom.Get(c.Spec.Id), (ErlangTerm?)c.Pid ?? ErlangAtom.Undefined, TypeAtom(c.Spec.Type), ErlangAtom.Get("dynamic")))]);
            case ErlangAtom { Name: "count_children" }:
                return new ErlangList(
                    Pair("specs", IsSimple ? 1 : _children.Count),
                    Pair("active", _children.Count(c => c.Pid is not null)),
                    Pair("supervisors", _children.Count(c => c.Spec.Type == ChildType.Supervisor)),
                    Pair("workers", _children.Count(c => c.Spec.Type == ChildType.Worker)));
            case ErlangTuple { Count: 2 } t when t[0] is ErlangAtom { Name: "terminate_child" }:
                var target = t[1] is ErlangPid p ? _children.FirstOrDefault(c => p.Equals(c.Pid)) : _children.FirstOrDefault(c => t[1] is ErlangAtom a && a.Name == c.Spec.Id);
                return await TerminateAsync(target).ConfigureAwait(false) ? ErlangAtom.Ok : NotFound();
            case ErlangTuple { Count: 2 } t when t[0] is ErlangAtom { Name: "delete_child" } && t[1] is ErlangAtom id:
                var gone = _children.FirstOrDefault(c => c.Spec.Id == id.Name);
                if (gone is null) return NotFound();
                if (gone.Pid is not null) return new ErlangTuple(ErlangAtom.Error, ErlangAtom.Get("running"));
                _children.Remove(gone);
                return ErlangAtom.Ok;
            case ErlangTuple { Count: 2 } t when t[0] is ErlangAtom { Name: "restart_child" } && t[1] is ErlangAtom id:
                var stopped = _children.FirstOrDefault(c => c.Spec.Id == id.Name);
                if (stopped is null) return NotFound();
                if (stopped.Pid is not null) return new ErlangTuple(ErlangAtom.Error, ErlangAtom.Get("running"));
                stopped.Pid = await stopped.Spec.Start(this, stopped.Argument).ConfigureAwait(false);
                return new ErlangTuple(ErlangAtom.Ok, stopped.Pid);
            case ErlangTuple { Count: 2 } t when t[0] is ErlangAtom { Name: "start_child" } && IsSimple:
                return new ErlangTuple(ErlangAtom.Ok, await StartDynamicAsync(t[1]).ConfigureAwait(false));
            default:
                return new ErlangTuple(ErlangAtom.Error, ErlangAtom.Badarg);
        }
    }

    private static ErlangTuple NotFound() => new(ErlangAtom.Error, ErlangAtom.Get("not_found"));

    private static ErlangTuple Pair(string key, int value) => new(ErlangAtom.Get(key), ErlangInteger.Create(value));

    private static ErlangAtom TypeAtom(ChildType type) => ErlangAtom.Get(type == ChildType.Supervisor ? "supervisor" : "worker");
}

internal static partial class SupervisorLog
{
    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 5201, Level = Microsoft.Extensions.Logging.LogLevel.Error, Message = "Supervisor could not restart child {Id}")]
    public static partial void RestartFailed(Microsoft.Extensions.Logging.ILogger logger, Exception exception, string id);
}
