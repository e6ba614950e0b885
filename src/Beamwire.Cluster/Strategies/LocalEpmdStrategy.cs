using Beamwire.Cluster.Configuration;
using Beamwire.Epmd;

namespace Beamwire.Cluster.Strategies;

/// <summary>
/// libcluster's <c>Cluster.Strategy.LocalEpmd</c>: every name registered in the local epmd, as
/// <c>name@&lt;this node's host&gt;</c>. libcluster asks once at start; this re-asks every
/// <c>PollingInterval</c> (default 5 s), so nodes started later join too.
/// </summary>
public sealed class LocalEpmdStrategy(TimeSpan interval, int? epmdPort) : IClusterStrategy
{
    public static StrategyDescriptor Descriptor { get; } = new("LocalEpmd", c =>
        new LocalEpmdStrategy(c.Duration("PollingInterval", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10)),
            c.Text("EpmdPort") is null ? null : c.Number("EpmdPort", 4369, 1, 65535)));

    public async Task RunAsync(ITopologyContext context, CancellationToken cancellationToken)
    {
        var host = StrategyParsing.Host(context.Self);
        var client = new EpmdClient("localhost", epmdPort);
        while (true)
        {
            try
            {
                var names = await client.NamesAsync(cancellationToken).ConfigureAwait(false);
                context.SetMembers(names.Select(n => n.Name + "@" + host).ToList());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                context.LookupFailed("epmd names lookup", e.Message);
            }

            await Task.Delay(interval, context.Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
