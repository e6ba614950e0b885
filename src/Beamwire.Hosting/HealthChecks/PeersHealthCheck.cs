using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Beamwire.Hosting.HealthChecks;

/// <summary>Readiness: at least <c>minPeers</c> visible nodes are connected (the cluster is formed).</summary>
internal sealed class PeersHealthCheck(BeamNodeHost host, int minPeers) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (host.Node is not { } node) return Task.FromResult(HealthCheckResult.Unhealthy("the Beamwire node is not started"));
        var peers = node.Nodes().Count;
        var data = new Dictionary<string, object> { ["peers"] = peers, ["min_peers"] = minPeers };
        return Task.FromResult(peers >= minPeers
            ? HealthCheckResult.Healthy($"{peers} peers connected (at least {minPeers})", data)
            : HealthCheckResult.Unhealthy($"{peers} peers connected, fewer than {minPeers}", data: data));
    }
}
