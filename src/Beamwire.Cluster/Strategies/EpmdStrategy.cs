using Beamwire.Cluster.Configuration;

namespace Beamwire.Cluster.Strategies;

/// <summary>
/// libcluster's <c>Cluster.Strategy.Epmd</c>: a fixed list of nodes (<c>Hosts</c>). Peers not up yet are
/// retried with backoff until they are (libcluster tries once, or every <c>Timeout</c>); <c>Timeout</c>
/// is accepted and re-announces the list at that period.
/// </summary>
public sealed class EpmdStrategy(IReadOnlyList<string> hosts, TimeSpan? timeout) : IClusterStrategy
{
    public static StrategyDescriptor Descriptor { get; } = new("Epmd", c =>
        new EpmdStrategy(StrategyParsing.NodeNames(c, "Hosts"), c.OptionalDuration("Timeout", TimeSpan.FromMilliseconds(1))));

    public async Task RunAsync(ITopologyContext context, CancellationToken cancellationToken)
    {
        if (hosts.Count == 0) return; // libcluster: an empty list starts nothing
        while (true)
        {
            context.AddMembers(hosts);
            if (timeout is not { } t) return;
            await Task.Delay(t, context.Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
