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
}
