using Microsoft.Extensions.Logging;

namespace Beamwire.Node;

/// <summary>The lines of a node that keeps its epmd registration: one when it is lost, one when it is back.</summary>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "epmd on port {Port} closed the registration of {Node} (epmd stopped or went away): registering again")]
    public static partial void EpmdRegistrationLost(ILogger logger, string node, int port);

    // Warning like the loss it ends: whoever sees the one (a log filtered at Warning, the beamwire
    // command's default output) sees the other.
    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "{Node} registered again with epmd on port {Port} after {ElapsedMs} ms (epmd {How})")]
    public static partial void EpmdRegisteredAgain(ILogger logger, string node, int port, long elapsedMs, string how);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "{Node} is still not registered with epmd on port {Port} after {ElapsedMs} ms ({Reason}); still trying")]
    public static partial void EpmdStillUnregistered(ILogger logger, string node, int port, long elapsedMs, string reason);
}
