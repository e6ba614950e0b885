using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Beamwire.Hosting.HealthChecks;

/// <summary>Health checks for Kubernetes probes: liveness on <c>beamwire-node</c>, readiness on all three.</summary>
public static class BeamwireHealthChecksBuilderExtensions
{
    /// <summary>Tag of the checks a liveness probe should run.</summary>
    public const string LiveTag = "live";

    /// <summary>Tag of the checks a readiness probe should run.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds <c>beamwire-node</c> (started and listening; tags live, ready), <c>beamwire-epmd</c> (epmd maps the
    /// name to this node; ready) and <c>beamwire-peers</c> (at least <paramref name="minPeers"/> visible peers; ready).
    /// </summary>
    public static IHealthChecksBuilder AddBeamwire(this IHealthChecksBuilder builder, int minPeers = 0)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfNegative(minPeers);
        return builder
            .Add(new HealthCheckRegistration("beamwire-node", sp => new BeamNodeHealthCheck(sp.GetRequiredService<BeamNodeHost>()), null, [LiveTag, ReadyTag]))
            .Add(new HealthCheckRegistration("beamwire-epmd", sp => new EpmdHealthCheck(sp.GetRequiredService<BeamNodeHost>()), null, [ReadyTag]))
            .Add(new HealthCheckRegistration("beamwire-peers", sp => new PeersHealthCheck(sp.GetRequiredService<BeamNodeHost>(), minPeers), null, [ReadyTag]));
    }
}
