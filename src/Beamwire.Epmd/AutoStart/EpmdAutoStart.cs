using System.Diagnostics;
using System.Globalization;
using Beamwire.Epmd.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beamwire.Epmd;

/// <summary>
/// What erl does at start-up, for Beamwire nodes: make sure an epmd answers on the port, starting
/// one if none does. The first node on a host starts it; every later node (Beamwire or erl) finds it
/// and uses it. Two nodes starting at once are fine: one binds the port, the other sees it taken and
/// uses that one.
/// </summary>
public static class EpmdAutoStart
{
    /// <summary>
    /// Returns null when an epmd already answers on <paramref name="port"/> (or one was started
    /// detached); otherwise the in-process daemon it started, which the caller owns and disposes.
    /// Throws <see cref="EpmdException"/> when something that is not epmd holds the port, or when
    /// <see cref="EpmdAutoStartMode.Never"/> is set and nothing answers.
    /// </summary>
    public static async Task<EpmdDaemon?> EnsureRunningAsync(int port, EpmdAutoStartOptions? options = null,
        ILogger? logger = null, CancellationToken ct = default)
    {
        options ??= new EpmdAutoStartOptions();
        logger ??= NullLogger.Instance;
        if (await IsRunningAsync(port, options.StartTimeout, ct).ConfigureAwait(false))
            return null;

        switch (options.Mode)
        {
            case EpmdAutoStartMode.Never:
                throw new EpmdException(EpmdErrorReason.NotRunning, $"No epmd answers on port {port}, and starting one is switched off.");
            case EpmdAutoStartMode.Detached:
                await StartDetachedAsync(port, options, logger, ct).ConfigureAwait(false);
                return null;
        }

        var daemonOptions = CopyWithPort(options.DaemonOptions ?? new EpmdDaemonOptions(), port);
        try
        {
            var daemon = await EpmdDaemon.StartAsync(daemonOptions, logger, ct).ConfigureAwait(false);
            EpmdLog.AutoStarted(logger, daemon.Port, "in this process");
            return daemon;
        }
        catch (EpmdException ex) when (ex.Reason == EpmdErrorReason.AddressInUse)
        {
            // Someone else started one between our probe and our bind: use theirs.
            if (await IsRunningAsync(port, options.StartTimeout, ct).ConfigureAwait(false))
                return null;
            throw;
        }
    }

    /// <summary>True when an epmd answers NAMES on the port; false when nothing listens there.</summary>
    public static async Task<bool> IsRunningAsync(int port, TimeSpan timeout, CancellationToken ct = default)
    {
        var client = new EpmdClient("localhost", port) { Timeout = timeout };
        try
        {
            await client.GetNamesListingAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (EpmdException ex) when (ex.Reason == EpmdErrorReason.NotRunning)
        {
            return false;
        }
        catch (EpmdException ex)
        {
            throw new EpmdException(ex.Reason,
                $"Port {port} is taken by something that does not answer like epmd ({ex.Message}). Use another ERL_EPMD_PORT.", ex);
        }
    }

    private static async Task StartDetachedAsync(int port, EpmdAutoStartOptions options, ILogger logger, CancellationToken ct)
    {
        var command = options.CommandPath
            ?? (Environment.GetEnvironmentVariable("BEAMWIRE_CLI") is { Length: > 0 } fromEnv ? fromEnv : "beamwire");
        var psi = DaemonStartInfo(command, port);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("Process.Start returned null");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new EpmdException(EpmdErrorReason.NotRunning,
                $"Could not run '{command} epmd -daemon' to start epmd on port {port}: {ex.Message}. Install the beamwire tool, set EpmdAutoStartOptions.CommandPath or BEAMWIRE_CLI, or use the in-process mode.", ex);
        }

        using (process)
        {
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.StartTimeout);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }

        if (!await IsRunningAsync(port, options.StartTimeout, ct).ConfigureAwait(false))
            throw new EpmdException(EpmdErrorReason.NotRunning, $"'{command} epmd -daemon -port {port}' ran, but no epmd answers on port {port}.");
        EpmdLog.AutoStarted(logger, port, "detached (" + command + ")");
    }

    // `beamwire epmd -daemon -port P`; a beamwire.dll (the command run by `dotnet beamwire.dll`) runs
    // through the dotnet host this process runs on, else the one on the PATH. Its stdin is not the
    // node's: the daemon must never read (or hold open) a terminal or pipe that belongs to its starter.
    private static ProcessStartInfo DaemonStartInfo(string command, int port)
    {
        var isDll = command.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var psi = new ProcessStartInfo(isDll ? DotnetHost() : command) { UseShellExecute = false, RedirectStandardInput = true };
        if (isDll)
            psi.ArgumentList.Add(command);
        foreach (var a in new[] { "epmd", "-daemon", "-port", port.ToString(CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        return psi;
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : "dotnet";

    private static EpmdDaemonOptions CopyWithPort(EpmdDaemonOptions source, int port)
    {
        var copy = new EpmdDaemonOptions
        {
            Port = port,
            RelaxedCommandCheck = source.RelaxedCommandCheck,
            RequestTimeout = source.RequestTimeout,
            MaxConnections = source.MaxConnections,
            MaxUnregisteredNames = source.MaxUnregisteredNames,
            AcceptLoops = source.AcceptLoops,
            PortableAcceptLoop = source.PortableAcceptLoop,
        };
        foreach (var a in source.Addresses)
            copy.Addresses.Add(a);
        return copy;
    }
}
