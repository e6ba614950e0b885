using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Handshake;

/// <summary>Handshake log lines; the texts follow OTP's own (dist_util) so operators recognise them.</summary>
internal static partial class HandshakeLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Error,
        Message = "** {Self}: Connection attempt to node {Peer} aborted since it cannot handle [{Missing}].**")]
    public static partial void MissingFlagsOutgoing(ILogger logger, string self, string peer, string missing);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error,
        Message = "** {Self}: Connection attempt from node {Peer} rejected since it cannot handle [{Missing}].**")]
    public static partial void MissingFlagsIncoming(ILogger logger, string self, string peer, string missing);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error,
        Message = "** Connection attempt from node {Peer} rejected. Invalid challenge reply. ** (the cookies differ)")]
    public static partial void InvalidReply(ILogger logger, string peer);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error,
        Message = "** Connection attempt to node {Peer} cancelled. Invalid challenge ack. ** (the cookies differ)")]
    public static partial void InvalidAck(ILogger logger, string peer);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error,
        Message = "** Connection attempt to node {Peer} failed: it closed the connection after our challenge reply (most likely a wrong cookie) **")]
    public static partial void ClosedAfterReply(ILogger logger, string peer);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "** Connection attempt from disallowed node {Peer} **")]
    public static partial void Disallowed(ILogger logger, string peer);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning,
        Message = "Refused a connection from host {Host} asking for a dynamic node name (NAME_ME is not supported)")]
    public static partial void DynamicNameRefused(ILogger logger, string host);
}
