using Beamwire.Node.Otp;
using Beamwire.Node.Services;
using Beamwire.Terms;

namespace Beamwire.Node;

/// <summary>
/// A gen_server in .NET: a process that serves <c>{'$gen_call', {Pid, Tag}, Request}</c> and
/// <c>{'$gen_cast', Request}</c> with the real wire shapes, so <c>gen_server:call({Name, Node}, Req)</c>
/// and <c>GenServer.call({:name, :"node@host"}, req)</c> from Erlang and Elixir reach it. Override the
/// callbacks; start it with <see cref="StartAsync"/> or <see cref="StartLinkAsync"/>.
/// </summary>
/// <remarks>
/// As with OTP, a server trapping exits stops with the parent's reason when its parent (the process that
/// started it linked) exits, and an exception thrown by a callback stops it with that reason after
/// <see cref="TerminateAsync"/> ran.
/// </remarks>
public abstract partial class GenServer : BeamProcess
{
    private TaskCompletionSource<ErlangTerm?>? _started;
    private ErlangTerm? _stopReason;
    private ErlangPid? _parent;

    /// <summary>init/1: runs before the starter returns; throw to make the start fail with that reason.</summary>
    protected virtual ValueTask InitAsync() => default;

    /// <summary>handle_call/3. The default answers nothing and stops with <c>{bad_call, Request}</c>, as gen_server's default does.</summary>
    protected virtual ValueTask<CallResult> HandleCallAsync(ErlangTerm request, GenServerFrom from) =>
        new(CallResult.Stop(new ErlangTuple(ErlangAtom.Get("bad_call"), request)));

    /// <summary>handle_cast/2.</summary>
    protected virtual ValueTask HandleCastAsync(ErlangTerm request) => default;

    /// <summary>handle_info/2: every message that is neither a call nor a cast.</summary>
    protected virtual ValueTask HandleInfoAsync(ErlangTerm message) => default;

    /// <summary>terminate/2: runs when the server stops (not when it is killed).</summary>
    protected virtual ValueTask TerminateAsync(ErlangTerm reason) => default;

    /// <summary>Stops the server with <paramref name="reason"/> once the current callback returns.</summary>
    protected void Stop(ErlangTerm reason) => _stopReason = reason ?? throw new ArgumentNullException(nameof(reason));

    /// <summary>gen_server:reply/2: answers a call that <see cref="HandleCallAsync"/> left with <see cref="CallResult.NoReply"/>.</summary>
    protected void Reply(GenServerFrom from, ErlangTerm reply)
    {
        ArgumentNullException.ThrowIfNull(from);
        GenReply.Send(Node, Pid, from.Caller, from.Tag, reply);
    }

    protected sealed override async Task RunAsync()
    {
        try
        {
            await InitAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _started?.TrySetResult(Processes.ProcessAtoms.ReasonOf(ex));
            throw;
        }

        _started?.TrySetResult(null);
        ErlangTerm reason;
        try
        {
            reason = await LoopAsync().ConfigureAwait(false);
        }
        catch (ProcessExitException) when (!IsAlive)
        {
            throw; // killed: no terminate, as with OTP
        }
        catch (Exception ex)
        {
            await TerminateAsync(Processes.ProcessAtoms.ReasonOf(ex)).ConfigureAwait(false);
            throw;
        }

        await TerminateAsync(reason).ConfigureAwait(false);
        if (!ReferenceEquals(reason, ErlangAtom.Normal)) Exit(reason);
    }

    private async Task<ErlangTerm> LoopAsync()
    {
        while (true)
        {
            var message = await ReceiveAsync().ConfigureAwait(false);
            if (GenMessages.TryParseCall(message, out var caller, out var tag, out var request))
            {
                var from = new GenServerFrom(caller, tag);
                var result = await HandleCallAsync(request, from).ConfigureAwait(false);
                if (result.Value is { } reply) Reply(from, reply);
                if (result.StopReason is { } stop) _stopReason = stop;
            }
            else if (GenMessages.TryParseCast(message, out var cast))
            {
                await HandleCastAsync(cast).ConfigureAwait(false);
            }
            else if (_parent is not null && TrapExit && message is ErlangTuple { Count: 3 } exit &&
                     ReferenceEquals(exit[0], Processes.ProcessAtoms.Exit) && exit[1].Equals(_parent))
            {
                return exit[2]; // the parent is gone: stop with its reason
            }
            else
            {
                await HandleInfoAsync(message).ConfigureAwait(false);
            }

            if (_stopReason is { } reason) return reason;
        }
    }

    /// <summary>
    /// gen_server:start: spawns <paramref name="server"/> (registered under <paramref name="name"/> if given) and
    /// returns once its <see cref="InitAsync"/> succeeded; throws <see cref="GenServerStartException"/> when it failed.
    /// </summary>
    public static Task<ErlangPid> StartAsync(BeamNode node, GenServer server, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(server);
        return StartCoreAsync(server, () => node.Spawn(server, new SpawnOptions { Name = name }), cancellationToken);
    }

    /// <summary>
    /// gen_server:start_link: like <see cref="StartAsync"/>, linked to <paramref name="parent"/> (a supervisor,
    /// usually). With <paramref name="trapExit"/> the server stops (running <see cref="TerminateAsync"/>)
    /// when the parent exits.
    /// </summary>
    public static Task<ErlangPid> StartLinkAsync(LocalProcess parent, GenServer server, string? name = null, bool trapExit = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(server);
        server._parent = parent.Pid;
        return StartCoreAsync(server, () => parent.SpawnLink(server, new SpawnOptions { Name = name, TrapExit = trapExit }), cancellationToken);
    }

    private protected override void OnExited(ErlangTerm reason) => _started?.TrySetResult(reason); // killed before init finished

    private static async Task<ErlangPid> StartCoreAsync(GenServer server, Func<ErlangPid> spawn, CancellationToken cancellationToken)
    {
        server._started = new TaskCompletionSource<ErlangTerm?>(TaskCreationOptions.RunContinuationsAsynchronously);
        ErlangPid pid;
        try
        {
            pid = spawn();
        }
        catch (ArgumentException) when (server.Pid is not null)
        {
            throw; // not a name clash
        }
        catch (ArgumentException ex)
        {
            throw new GenServerStartException(new ErlangTuple(ErlangAtom.Get("already_started"), ErlangBinary.FromUtf8(ex.Message)));
        }

        var failed = await server._started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (failed is not null) throw new GenServerStartException(failed);
        return pid;
    }
}

/// <summary>A GenServer's init failed; <see cref="Reason"/> is its exit reason (<c>{error, Reason}</c> in OTP).</summary>
public sealed class GenServerStartException : BeamNodeException
{
    public GenServerStartException(ErlangTerm reason) : base($"GenServer init failed: {reason}") => Reason = reason;

    public GenServerStartException(string message) : base(message) => Reason = ErlangAtom.Undefined;

    public GenServerStartException(string message, Exception innerException) : base(message, innerException) => Reason = ErlangAtom.Undefined;

    public GenServerStartException() : this(ErlangAtom.Undefined) { }

    public ErlangTerm Reason { get; }
}
