using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Connection;

internal static partial class ConnectionLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Closing the connection to {Peer}: {Problem}")]
    public static partial void ProtocolError(ILogger logger, string peer, string problem);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Handling {Kind} from {Peer} failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string kind, string peer);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information,
        Message = "Unhandled control message {Kind} from {Peer} ({Why}); further ones are logged at Debug: {Message}")]
    public static partial void UnhandledFirst(ILogger logger, string kind, string peer, string why, object message);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Unhandled control message {Kind} from {Peer}: {Message}")]
    public static partial void Unhandled(ILogger logger, string kind, string peer, object message);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "** Node {Peer} not responding ** ** Removing (timedout) connection **")]
    public static partial void NotResponding(ILogger logger, string peer);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Node {Peer} up ({Kind}, flags 0x{Flags:X})")]
    public static partial void NodeUp(ILogger logger, string peer, string kind, ulong flags);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Node {Peer} down: {Reason}")]
    public static partial void NodeDown(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Connection attempt to {Peer} failed: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Incoming connection from {Remote} failed its handshake: {Reason}")]
    public static partial void AcceptFailed(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Error, Message = "The distribution listener stopped")]
    public static partial void ListenerFailed(ILogger logger, Exception exception);
}
