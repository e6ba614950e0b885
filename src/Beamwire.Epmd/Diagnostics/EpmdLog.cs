using System.Net;
using Microsoft.Extensions.Logging;

namespace Beamwire.Epmd.Diagnostics;

/// <summary>Every log line of the epmd layer, generated (no boxing, no formatting when disabled).</summary>
internal static partial class EpmdLog
{
    [LoggerMessage(1, LogLevel.Debug, "Registered '{Name}' (port {Port}) in epmd at {Epmd}: creation {Creation}")]
    public static partial void Registered(ILogger logger, string name, int port, uint creation, EndPoint? epmd);

    [LoggerMessage(2, LogLevel.Warning, "epmd closed the registration of '{Name}': it is no longer registered")]
    public static partial void RegistrationLost(ILogger logger, string name);

    [LoggerMessage(3, LogLevel.Debug, "Unregistered '{Name}' from epmd")]
    public static partial void Unregistered(ILogger logger, string name);

    // Daemon lines. Texts follow epmd's own log lines where it has one, so operators recognise them.
    [LoggerMessage(10, LogLevel.Information, "epmd listening on port {Port} ({EndPoints})")]
    public static partial void Listening(ILogger logger, int port, string endPoints);

    [LoggerMessage(11, LogLevel.Warning, "{Message}")]
    public static partial void Notice(ILogger logger, string message);

    [LoggerMessage(12, LogLevel.Debug, "registering '{Name}:{Creation}', port {Port}")]
    public static partial void NodeRegistered(ILogger logger, string name, uint creation, int port);

    [LoggerMessage(13, LogLevel.Debug, "unregistering '{Name}:{Creation}', port {Port}")]
    public static partial void NodeUnregistered(ILogger logger, string name, uint creation, int port);

    [LoggerMessage(14, LogLevel.Debug, "epmd connection stopped: '{Name}' unregistered by STOP_REQ")]
    public static partial void NodeStopped(ILogger logger, string name);

    [LoggerMessage(15, LogLevel.Warning, "got partial packet only on file descriptor {Fd} ({Got})")]
    public static partial void PartialPacket(ILogger logger, int fd, int got);

    [LoggerMessage(16, LogLevel.Warning, "invalid packet size ({Size})")]
    public static partial void InvalidPacketSize(ILogger logger, int size);

    [LoggerMessage(17, LogLevel.Warning, "got {Got} bytes in packet, expected {Expected}")]
    public static partial void TrailingBytes(ILogger logger, int got, int expected);

    [LoggerMessage(18, LogLevel.Debug, "got more than expected on ALIVE socket {Fd}")]
    public static partial void DataOnAliveSocket(ILogger logger, int fd);

    [LoggerMessage(19, LogLevel.Debug, "closing because timed out on receive (fd {Fd})")]
    public static partial void TimedOut(ILogger logger, int fd);

    [LoggerMessage(20, LogLevel.Warning, "failed opening connection: {Max} connections open already")]
    public static partial void TooManyConnections(ILogger logger, int max);

    [LoggerMessage(21, LogLevel.Warning, "error in accept: {Error}")]
    public static partial void AcceptFailed(ILogger logger, System.Net.Sockets.SocketError error);

    [LoggerMessage(22, LogLevel.Information, "epmd killed")]
    public static partial void Killed(ILogger logger);

    [LoggerMessage(23, LogLevel.Debug, "not listening on {Address}: {Error}")]
    public static partial void BindSkipped(ILogger logger, System.Net.IPAddress address, System.Net.Sockets.SocketError error);

    [LoggerMessage(24, LogLevel.Error, "serving a connection failed")]
    public static partial void ServeFailed(ILogger logger, Exception exception);

    [LoggerMessage(30, LogLevel.Information, "No epmd was running on port {Port}: started one {How}")]
    public static partial void AutoStarted(ILogger logger, int port, string how);
}
