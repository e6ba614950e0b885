using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Beamwire.Hosting.HealthChecks;

/// <summary>Liveness: the node is started and its distribution listener accepts connections.</summary>
internal sealed class BeamNodeHealthCheck(BeamNodeHost host) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!host.DistributionEnabled) return Task.FromResult(HealthCheckResult.Healthy("distribution is off (RELEASE_DISTRIBUTION=none)"));
        return Task.FromResult(host.Node is { } node
            ? HealthCheckResult.Healthy($"{node.Self} listening on port {node.Port}")
            : HealthCheckResult.Unhealthy("the Beamwire node is not started"));
    }
}
