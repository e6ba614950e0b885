using System.Net;
using System.Runtime.InteropServices;
using Beamwire.Epmd;
using Microsoft.Extensions.Logging;

namespace Beamwire.Cli.Commands.Epmd;

/// <summary>Runs the daemon in this process until KILL_REQ, SIGTERM or Ctrl+C.</summary>
internal static class EpmdForeground
{
    public static async Task<int> RunAsync(EpmdSettings s, CancellationToken ct)
    {
        if (SessionDetach.Requested) SessionDetach.Detach(); // started by -daemon: finish detaching first
        var logger = new EpmdStyleLogger(s.Debug);
        var options = new EpmdDaemonOptions
        {
            Port = s.Port,
            RelaxedCommandCheck = s.Relaxed,
            // epmd -d keeps only 5 old names, so creation reuse shows up quickly while debugging.
            MaxUnregisteredNames = s.Debug > 0 ? 5 : 1000,
        };
        if (s.PacketTimeout is { } timeout)
            options.RequestTimeout = timeout;
        foreach (var token in (s.Addresses ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!IPAddress.TryParse(token, out var address))
            {
                CliLog.BadAddress(logger, token);
                return 1;
            }

            options.Addresses.Add(address);
        }

        EpmdDaemon daemon;
        try
        {
            daemon = await EpmdDaemon.StartAsync(options, logger, ct).ConfigureAwait(false);
        }
        catch (EpmdException ex) when (ex.Reason == EpmdErrorReason.AddressInUse)
        {
            // As epmd: another epmd already serves this port, which is what the caller wanted.
            CliLog.AlreadyRunning(logger, s.Port);
            return 0;
        }

        await using (daemon.ConfigureAwait(false))
        {
            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var cancel = ct.Register(() => stop.TrySetResult());
            await Task.WhenAny(daemon.Completion, stop.Task).ConfigureAwait(false);
            return 0;

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.TrySetResult();
            }
        }
    }
}

internal static partial class CliLog
{
    [LoggerMessage(1, LogLevel.Error, "cannot parse IP address \"{Address}\"")]
    public static partial void BadAddress(ILogger logger, string address);

    [LoggerMessage(2, LogLevel.Debug, "there is already a epmd running at port {Port}")]
    public static partial void AlreadyRunning(ILogger logger, int port);
}
