using Beamwire.Cluster.Configuration;
using Beamwire.Cluster.Dns;

namespace Beamwire.Cluster.Strategies;

/// <summary>
/// libcluster's <c>Cluster.Strategy.Kubernetes.DNS</c>: the A records of a headless service
/// (<c>Service</c>), members <c>ApplicationName@ip</c>, every <c>PollingInterval</c> (default 5 s).
/// </summary>
public sealed class KubernetesDnsStrategy : IClusterStrategy
{
    private readonly DnsPolling _polling;

    private KubernetesDnsStrategy(DnsPolling polling) => _polling = polling;

    public static StrategyDescriptor Descriptor { get; } = new("KubernetesDns", c =>
    {
        var app = StrategyParsing.Basename(c, "ApplicationName")
                  ?? throw new ClusterConfigurationException($"{c.PathOf("ApplicationName")} is required by the KubernetesDns strategy: the basename of the nodes (app in app@10.0.0.5)");
        var service = c.RequiredString("Service", "the headless service's DNS name (myapp-headless.default.svc.cluster.local)");
        return new KubernetesDnsStrategy(new DnsPolling([new DnsQuery(app, service, true, false, false)], DnsPolling.Interval(c), DnsPolling.Resolver(c)));
    });

    public Task RunAsync(ITopologyContext context, CancellationToken cancellationToken) => _polling.RunAsync(context, cancellationToken);
}
