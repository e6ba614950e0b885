namespace Beamwire.Cluster.Strategies;

/// <summary>
/// A way to discover members (libcluster's <c>Cluster.Strategy</c>): it only tells the topology whom it
/// found; connecting, retrying, pruning and logging are done once for every strategy by the topology.
/// <see cref="RunAsync"/> runs until cancelled; an exception restarts it after a backoff.
/// </summary>
public interface IClusterStrategy
{
    Task RunAsync(ITopologyContext context, CancellationToken cancellationToken);
}

/// <summary>What a strategy sees of its topology.</summary>
public interface ITopologyContext
{
    /// <summary>The topology's name, as in <c>[libcluster:NAME]</c>.</summary>
    string Topology { get; }

    /// <summary>This node's full name (strategies skip it and derive host names from it).</summary>
    string Self { get; }

    Microsoft.Extensions.Logging.ILogger Logger { get; }

    TimeProvider Time { get; }

    /// <summary>A polling strategy's whole answer: members missing from it leave after the grace period.</summary>
    void SetMembers(IReadOnlyCollection<string> members);

    /// <summary>
    /// A strategy that only ever adds (Epmd, Gossip): connect these too. With <paramref name="expiresAfter"/>
    /// a name not repeated within that time is forgotten (no longer retried; never disconnected).
    /// </summary>
    void AddMembers(IReadOnlyCollection<string> members, TimeSpan? expiresAfter = null);

    /// <summary>Counts a discovery input that was ignored (<c>beamwire.cluster.gossip.dropped</c>, by reason).</summary>
    void CountDropped(string reason);

    /// <summary>A failed lookup: the last good member set stays; the reason is logged.</summary>
    void LookupFailed(string what, string reason);
}

/// <summary>
/// A strategy as configuration knows it: its name (<c>Strategy</c> value) and how to build it from a
/// validated <see cref="Configuration.StrategyConfig"/> (which must read every key it accepts).
/// </summary>
public sealed record StrategyDescriptor(string Name, Func<Configuration.StrategyConfig, IClusterStrategy> Create);
