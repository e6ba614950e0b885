using Beamwire.Cluster.Configuration;
using Beamwire.Cluster.Dns;

namespace Beamwire.Cluster.Strategies;

/// <summary>
/// libcluster's <c>Cluster.Strategy.DNSPoll</c> with Phoenix DNSCluster's additions: <c>Query</c> is one
/// name or a list, each optionally <c>basename@query</c>; <c>NodeBasename</c> defaults to this node's
/// own; <c>ResourceTypes</c> A, AAAA (default both) and SRV (<c>basename@target</c>). Members are
/// <c>basename@ip</c>, polled every <c>PollingInterval</c> (default 5 s).
/// </summary>
public sealed class DnsPollStrategy : IClusterStrategy
{
    private readonly Func<string, DnsPolling> _polling;

    private DnsPollStrategy(Func<string, DnsPolling> polling) => _polling = polling;

    public static StrategyDescriptor Descriptor { get; } = new("DnsPoll", Create);

    private static DnsPollStrategy Create(StrategyConfig c)
    {
        var queries = c.List("Query");
        if (queries.Count == 0)
            throw new ClusterConfigurationException($"{c.PathOf("Query")} is required by the DnsPoll strategy: give a DNS name (my-app.internal), several separated by commas, or basename@name");
        var basename = StrategyParsing.Basename(c, "NodeBasename");
        var types = c.List("ResourceTypes");
        bool a = types.Count == 0, aaaa = types.Count == 0, srv = false;
        foreach (var t in types)
        {
            switch (t.ToUpperInvariant())
            {
                case "A": a = true; break;
                case "AAAA": aaaa = true; break;
                case "SRV": srv = true; break;
                default:
                    throw new ClusterConfigurationException($"{c.PathOf("ResourceTypes")} = '{string.Join(',', types)}' is not allowed: give A, AAAA and/or SRV");
            }
        }

        var interval = DnsPolling.Interval(c);
        var resolver = DnsPolling.Resolver(c);
        foreach (var q in queries)
        {
            var at = q.IndexOf('@', StringComparison.Ordinal);
            if (at == 0 || at == q.Length - 1 || q.Any(char.IsWhiteSpace))
                throw new ClusterConfigurationException($"{c.PathOf("Query")} = '{q}' is not allowed: give a DNS name or basename@name");
        }

        return new DnsPollStrategy(self =>
        {
            var own = StrategyParsing.Alive(self);
            var list = queries.Select(q =>
            {
                var at = q.IndexOf('@', StringComparison.Ordinal);
                return at > 0 ? new DnsQuery(q[..at], q[(at + 1)..], a, aaaa, srv) : new DnsQuery(basename ?? own, q, a, aaaa, srv);
            }).ToList();
            return new DnsPolling(list, interval, resolver);
        });
    }

    public Task RunAsync(ITopologyContext context, CancellationToken cancellationToken) =>
        _polling(context.Self).RunAsync(context, cancellationToken);
}
