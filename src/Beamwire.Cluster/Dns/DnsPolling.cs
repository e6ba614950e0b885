using System.Net;
using Beamwire.Cluster.Configuration;
using Beamwire.Cluster.Diagnostics;
using Beamwire.Cluster.Strategies;

namespace Beamwire.Cluster.Dns;

/// <summary>
/// The poll loop every DNS strategy shares: all queries each <c>PollingInterval</c>; their union is the
/// member set; if any query fails, the last good set stays (logged and counted) instead of becoming empty.
/// </summary>
internal sealed class DnsPolling(IReadOnlyList<DnsQuery> queries, TimeSpan interval, DnsResolver resolver)
{
    public static DnsResolver Resolver(StrategyConfig c)
    {
        var servers = new List<IPEndPoint>();
        foreach (var s in c.List("Nameservers"))
        {
            if (!DnsResolver.TryEndpoint(s, out var ep))
                throw new ClusterConfigurationException($"{c.PathOf("Nameservers")} = '{s}' is not a name server: give an IP address, optionally with :port (10.0.0.2, 127.0.0.1:5353, [::1]:53)");
            servers.Add(ep);
        }

        return new DnsResolver(servers, c.Duration("LookupTimeout", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(10)));
    }

    public static TimeSpan Interval(StrategyConfig c) => c.Duration("PollingInterval", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10));

    public async Task RunAsync(ITopologyContext context, CancellationToken ct)
    {
        while (true)
        {
            var all = new List<string>();
            string? error = null;
            foreach (var q in queries)
            {
                ClusterLog.PollingDns(context.Logger, context.Topology, q.Name);
                var (names, e) = await resolver.ResolveAsync(q, ct).ConfigureAwait(false);
                if (names is null) { error = e; break; }
                all.AddRange(names);
            }

            if (error is null) context.SetMembers(all);
            else context.LookupFailed("dns lookup", error);
            await Task.Delay(interval, context.Time, ct).ConfigureAwait(false);
        }
    }
}
