using Microsoft.Extensions.Logging;

namespace Beamwire.Cluster.Diagnostics;

/// <summary>
/// libcluster's log lines, word for word (<c>lib/strategy.ex</c>, <c>lib/logger.ex</c>): node names are
/// passed through <see cref="ElixirInspect.Atom"/>, so greps and dashboards written for Elixir nodes keep working.
/// </summary>
internal static partial class ClusterLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "[libcluster:{Topology}] connected to {Node}")]
    public static partial void Connected(ILogger logger, string topology, string node);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "[libcluster:{Topology}] unable to connect to {Node}")]
    public static partial void UnableToConnect(ILogger logger, string topology, string node);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "[libcluster:{Topology}] disconnected from {Node}")]
    public static partial void Disconnected(ILogger logger, string topology, string node);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "[libcluster:{Topology}] disconnect from {Node} failed because we're already disconnected")]
    public static partial void AlreadyDisconnected(ILogger logger, string topology, string node);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "[libcluster:{Topology}] {What} failed: {Reason}; keeping the last {Count} members")]
    public static partial void LookupFailed(ILogger logger, string topology, string what, string reason, int count);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "[libcluster:{Topology}] strategy {Strategy} crashed; restarting in {DelayMs} ms")]
    public static partial void StrategyCrashed(ILogger logger, Exception exception, string topology, string strategy, long delayMs);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "[libcluster:{Topology}] formed: {Connected} of at least {MinPeers} peers connected")]
    public static partial void Formed(ILogger logger, string topology, int connected, int minPeers);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "[libcluster:{Topology}] {Node} left discovery; disconnecting after the {GraceSeconds} s grace period unless it comes back")]
    public static partial void Vanished(ILogger logger, string topology, string node, double graceSeconds);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "[libcluster:{Topology}] polling dns for '{Query}'")]
    public static partial void PollingDns(ILogger logger, string topology, string query);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "[libcluster:{Topology}] received heartbeat from {Node}")]
    public static partial void ReceivedHeartbeat(ILogger logger, string topology, string node);

    [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "[libcluster:{Topology}] heartbeat not sent: {Reason}")]
    public static partial void HeartbeatNotSent(ILogger logger, string topology, string reason);

    [LoggerMessage(EventId = 13, Level = LogLevel.Debug, Message = "[libcluster:{Topology}] epmd on {Host} did not answer: {Reason}")]
    public static partial void EpmdHostDown(ILogger logger, string topology, string host, string reason);

    [LoggerMessage(EventId = 14, Level = LogLevel.Debug, Message = "[libcluster:{Topology}] connect to {Node} failed: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string topology, string node, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "[libcluster:{Topology}] {Message}")]
    public static partial void Warn(ILogger logger, string topology, string message);
}
