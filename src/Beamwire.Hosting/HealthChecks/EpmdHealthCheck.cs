using Beamwire.Epmd;
using Beamwire.Node;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Beamwire.Hosting.HealthChecks;

/// <summary>
/// The node can be found by name: epmd answers PORT_PLEASE2 for it with the node's own port, as peers
/// ask it. A node running without epmd (fixed ports) is healthy by definition.
/// </summary>
internal sealed class EpmdHealthCheck(BeamNodeHost host) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (host.Node is not { } node) return HealthCheckResult.Unhealthy("the Beamwire node is not started");
        if (node.Options.Epmd == EpmdMode.Disabled) return HealthCheckResult.Healthy("running without epmd");
        var client = new EpmdClient(node.Options.EpmdHost, node.Options.EpmdPort ?? EpmdDefaults.ResolvePort());
        try
        {
            var info = await client.PortPleaseAsync(node.Self.Alive, cancellationToken).ConfigureAwait(false);
            if (info is null) return HealthCheckResult.Unhealthy($"epmd on port {client.Port} does not know {node.Self.Alive}");
            return info.Port == node.Port
                ? HealthCheckResult.Healthy($"registered with epmd on port {client.Port}")
                : HealthCheckResult.Unhealthy($"epmd on port {client.Port} maps {node.Self.Alive} to port {info.Port}, not this node's {node.Port}");
        }
        catch (EpmdException ex)
        {
            return HealthCheckResult.Unhealthy($"epmd on port {client.Port}: {ex.Message}", ex);
        }
    }
}
