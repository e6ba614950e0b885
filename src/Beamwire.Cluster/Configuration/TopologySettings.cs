namespace Beamwire.Cluster.Configuration;

/// <summary>
/// The keys every topology takes besides its strategy's: what libcluster lacks (readiness, grace period,
/// parallel connects with a timeout, retry backoff). Read from the same <c>Config</c> section.
/// </summary>
internal sealed record TopologySettings(int MinPeers, bool Prune, TimeSpan GracePeriod, TimeSpan ConnectTimeout, TimeSpan RetryInterval, TimeSpan RetryMaxInterval)
{
    public static TopologySettings Read(StrategyConfig c) => new(
        MinPeers: c.Number("MinPeers", 1, 0, 100_000),
        Prune: c.Bool("Prune", true),
        GracePeriod: c.Duration("GracePeriod", TimeSpan.FromSeconds(30)),
        ConnectTimeout: c.Duration("ConnectTimeout", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1)),
        RetryInterval: c.Duration("RetryInterval", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1)),
        RetryMaxInterval: c.Duration("RetryMaxInterval", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(1)));
}
