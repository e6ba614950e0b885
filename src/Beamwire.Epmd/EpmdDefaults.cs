using System.Globalization;

namespace Beamwire.Epmd;

/// <summary>Where epmd is when nobody says otherwise, read the way erl and epmd read it.</summary>
public static class EpmdDefaults
{
    /// <summary>The well-known epmd port.</summary>
    public const int Port = 4369;

    /// <summary>The environment variable erl, epmd and Beamwire read the epmd port from.</summary>
    public const string PortVariable = "ERL_EPMD_PORT";

    /// <summary>
    /// <c>ERL_EPMD_PORT</c> when it holds a valid port number, else 4369. (epmd itself uses
    /// <c>atoi</c>; we refuse garbage instead of silently turning it into port 0.)
    /// </summary>
    public static int ResolvePort()
    {
        var text = Environment.GetEnvironmentVariable(PortVariable);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : Port;
    }
}
