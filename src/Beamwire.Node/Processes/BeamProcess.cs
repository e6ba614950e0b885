using Beamwire.Node.Processes;
using Beamwire.Terms;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node;

/// <summary>
/// A lightweight process with a body: subclass it and override <see cref="RunAsync"/>, or spawn a
/// delegate with <see cref="BeamNode.Spawn(Func{BeamProcess, Task}, SpawnOptions?)"/>. The body runs on the
/// thread pool; while it awaits a receive it holds no thread. When the body returns the process exits
/// <c>normal</c>; <see cref="LocalProcess.Exit(ErlangTerm)"/> exits with a reason; any other exception
/// exits with <c>{dotnet_exception, 'Type', &lt;&lt;"message"&gt;&gt;}</c>. Links and monitors then hear of it.
/// </summary>
public abstract class BeamProcess : LocalProcess
{
    private Task? _body;

    /// <summary>The process body. Messages are taken with <see cref="LocalProcess.ReceiveAsync(Func{ErlangTerm, bool}?, TimeSpan?, CancellationToken)"/>.</summary>
    protected abstract Task RunAsync();

    internal void Start(BeamNode node, ErlangPid pid) => Attach(node, pid);

    /// <summary>Schedules the body's start (see <see cref="LocalProcess.ScheduleStart"/> for <paramref name="runNext"/>).</summary>
    internal void Run(bool runNext = false) => ScheduleStart(runNext);

    private protected override void RunStart()
    {
        try
        {
            _body = RunAsync();
        }
#pragma warning disable CA1031 // whatever the body throws is its exit reason
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _body = Task.FromException(ex);
        }

        if (_body.IsCompleted) BodyDone();
        else _body.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(BodyDone);
    }

    private void BodyDone()
    {
        var body = _body!;
        _body = null;
        ErlangTerm reason;
        if (body.IsCompletedSuccessfully)
        {
            reason = ErlangAtom.Normal;
        }
        else
        {
            var ex = body.Exception?.GetBaseException() ?? new OperationCanceledException();
            reason = ProcessAtoms.ReasonOf(ex);
            if (ex is not ProcessExitException && IsAlive) ProcessLog.Crashed(Node.ProcessLogger, ex, Pid.ToString(), reason.ToString());
        }

        Terminate(reason);
    }
}

/// <summary>A process whose body is a delegate.</summary>
internal sealed class DelegateProcess(Func<BeamProcess, Task> body) : BeamProcess
{
    protected override Task RunAsync() => body(this);
}

internal static partial class ProcessLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Process {Pid} crashed with {Reason}")]
    public static partial void Crashed(ILogger logger, Exception exception, string pid, string reason);
}
