using Beamwire.Cluster.Configuration;
using Beamwire.Cluster.Dns;

namespace Beamwire.Cluster.Strategies;

/// <summary>
/// libcluster's <c>Cluster.Strategy.Kubernetes.DNSSRV</c>: the SRV records of
/// <c>Service.Namespace.svc.&lt;CLUSTER_DOMAIN or cluster.local.&gt;</c>, members <c>ApplicationName@target</c>
/// (a StatefulSet pod's stable host name), every <c>PollingInterval</c> (default 5 s).
/// </summary>
public sealed class KubernetesDnsSrvStrategy : IClusterStrategy
{
    private readonly DnsPolling _polling;

    private KubernetesDnsSrvStrategy(DnsPolling polling) => _polling = polling;

    public static StrategyDescriptor Descriptor { get; } = new("KubernetesDnsSrv", c =>
    {
        var app = StrategyParsing.Basename(c, "ApplicationName")
                  ?? throw new ClusterConfigurationException($"{c.PathOf("ApplicationName")} is required by the KubernetesDnsSrv strategy: the basename of the nodes (app in app@app-0.app.default.svc.cluster.local)");
        var service = c.RequiredString("Service", "the headless service's name (myapp-headless)");
        var ns = c.RequiredString("Namespace", "the service's namespace (default)");
        var domain = Environment.GetEnvironmentVariable("CLUSTER_DOMAIN") is { Length: > 0 } d ? d : "cluster.local.";
        var query = $"{service}.{ns}.svc.{domain}";
        return new KubernetesDnsSrvStrategy(new DnsPolling([new DnsQuery(app, query, false, false, true)], DnsPolling.Interval(c), DnsPolling.Resolver(c)));
    });

    public Task RunAsync(ITopologyContext context, CancellationToken cancellationToken) => _polling.RunAsync(context, cancellationToken);
}
