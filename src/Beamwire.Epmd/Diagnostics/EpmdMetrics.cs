using System.Diagnostics.Metrics;

namespace Beamwire.Epmd.Diagnostics;

/// <summary>The epmd instruments on the shared <c>Beamwire</c> meter (<c>beamwire.epmd.*</c>).</summary>
internal static class EpmdMetrics
{
    public static readonly Meter Meter = new("Beamwire");

    /// <summary>Requests the client completed, tagged <c>request</c>.</summary>
    public static readonly Counter<long> ClientRequests =
        Meter.CreateCounter<long>("beamwire.epmd.client.requests", description: "epmd requests completed by EpmdClient");

    /// <summary>Requests the daemon answered or rejected, tagged <c>request</c>.</summary>
    public static readonly Counter<long> DaemonRequests =
        Meter.CreateCounter<long>("beamwire.epmd.daemon.requests", description: "requests handled by EpmdDaemon");

    /// <summary>Connections the daemon closed for a protocol violation, limit or timeout, tagged <c>reason</c>.</summary>
    public static readonly Counter<long> DaemonRejected =
        Meter.CreateCounter<long>("beamwire.epmd.daemon.rejected", description: "connections EpmdDaemon closed for bad input, limits or timeouts");

    /// <summary>Open daemon connections (registrations included).</summary>
    public static readonly UpDownCounter<long> DaemonConnections =
        Meter.CreateUpDownCounter<long>("beamwire.epmd.daemon.connections", description: "open EpmdDaemon connections");

    /// <summary>Registered node names.</summary>
    public static readonly UpDownCounter<long> DaemonRegistrations =
        Meter.CreateUpDownCounter<long>("beamwire.epmd.daemon.registrations", description: "names registered in EpmdDaemon");
}
