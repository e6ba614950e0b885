using System.Diagnostics;
using Beamwire.Cli.Commands.Common;
using Beamwire.Node;
using Microsoft.Extensions.Logging;

namespace Beamwire.Cli.Commands.Node;

/// <summary>
/// The life of <c>beamwire node</c>: start, print the full name and port, log every nodeup/nodedown
/// with its reason, run until a signal, then leave the cluster (close connections, unregister from
/// epmd) within <see cref="StopTimeout"/>.
/// </summary>
internal sealed partial class NodeRunner(NodeSettings settings, string name, ILoggerFactory loggers, IReadOnlyList<INodeExtension> extensions)
{
    /// <summary>The longest a graceful stop may take before the process exits anyway.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly ILogger _log = loggers.CreateLogger("Beamwire.Cli.Node");

    public async Task<int> RunAsync(bool exitAfterStart, CancellationToken ct)
    {
        using var signal = new ShutdownSignal();
        var options = settings.ToOptions(name);
        var node = await NodeStarter.StartAsync(options, loggers, ct).ConfigureAwait(false);
        node.NodeUp += (_, e) => NodeUp(_log, e.Node.Full, e.Visible ? "visible" : "hidden");
        node.NodeDown += (_, e) => NodeDown(_log, e.Node.Full, e.Reason);

        var epmd = options.Epmd == EpmdMode.Disabled ? "no epmd" : $"registered with epmd on port {options.EpmdPort ?? Beamwire.Epmd.EpmdDefaults.ResolvePort()}";
        Console.Out.WriteLine($"beamwire: node {node.Self.Full} started, listening on port {node.Port} ({epmd}{(options.Hidden ? ", hidden" : "")})");
        Console.Out.Flush();

        string reason = "--exit-after-start";
        try
        {
            foreach (var e in extensions) await e.StartAsync(node, ct).ConfigureAwait(false);
            if (!exitAfterStart)
                reason = await signal.Stopped.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            reason = "cancelled";
        }

        return await StopAsync(node, reason).ConfigureAwait(false);
    }

    private async Task<int> StopAsync(BeamNode node, string reason)
    {
        if (reason != "--exit-after-start") Stopping(_log, node.Self.Full, reason);
        var clock = Stopwatch.StartNew();
        var stop = Task.Run(async () =>
        {
            for (var i = extensions.Count - 1; i >= 0; i--) await extensions[i].DisposeAsync().ConfigureAwait(false);
            await node.DisposeAsync().ConfigureAwait(false);
        });
        if (await Task.WhenAny(stop, Task.Delay(StopTimeout)).ConfigureAwait(false) != stop)
        {
            StopTimedOut(_log, StopTimeout.TotalSeconds);
            return ExitCodes.Failed;
        }

        await stop.ConfigureAwait(false);
        if (reason != "--exit-after-start") Stopped(_log, node.Self.Full, clock.ElapsedMilliseconds);
        return ExitCodes.Ok;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "nodeup {Node} ({Kind})")]
    private static partial void NodeUp(ILogger logger, string node, string kind);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "nodedown {Node}: {Reason}")]
    private static partial void NodeDown(ILogger logger, string node, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Signal}: stopping {Node} (closing connections, unregistering from epmd)")]
    private static partial void Stopping(ILogger logger, string node, string signal);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "stopped {Node} in {Ms} ms")]
    private static partial void Stopped(ILogger logger, string node, long ms);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "graceful stop took longer than {Seconds} s: exiting anyway")]
    private static partial void StopTimedOut(ILogger logger, double seconds);
}
