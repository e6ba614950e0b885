using System.Runtime.InteropServices;

namespace Beamwire.Cli.Commands.Node;

/// <summary>
/// SIGTERM, SIGINT and SIGQUIT turned into one awaitable "stop now" with the signal's name: the
/// runtime's default (exit at once) is cancelled so the node can leave the cluster cleanly first.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly TaskCompletionSource<string> _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, On),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, On),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, On),
        ];
    }

    /// <summary>Completes with "SIGTERM", "SIGINT" or "SIGQUIT" when one arrives.</summary>
    public Task<string> Stopped => _stop.Task;

    private void On(PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.TrySetResult(context.Signal switch
        {
            PosixSignal.SIGTERM => "SIGTERM",
            PosixSignal.SIGINT => "SIGINT",
            _ => "SIGQUIT",
        });
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}
