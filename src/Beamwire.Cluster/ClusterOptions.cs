using Beamwire.Node;

namespace Beamwire.Cluster;

/// <summary>
/// Every topology a node runs, as libcluster's <c>config :libcluster, topologies: [...]</c>; bound from
/// <c>Beamwire:Cluster</c> by <see cref="Configuration.ClusterConfiguration"/> or built in code.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>Configuration section: <c>Beamwire:Cluster</c>.</summary>
    public const string SectionName = "Beamwire:Cluster";

    /// <summary>Topologies by name (the name shows in every log line: <c>[libcluster:NAME]</c>).</summary>
    public Dictionary<string, TopologyOptions> Topologies { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a topology; returns this for chaining.</summary>
    public ClusterOptions Add(string name, string strategy, IDictionary<string, string>? config = null, Action<TopologyOptions>? configure = null)
    {
        var t = new TopologyOptions { Strategy = strategy };
        if (config is not null)
            foreach (var (k, v) in config) t.Config[k] = v;
        configure?.Invoke(t);
        Topologies[name] = t;
        return this;
    }
}

/// <summary>
/// One topology: a strategy, its config and the connect / disconnect / list-nodes hooks (libcluster's
/// <c>connect</c>, <c>disconnect</c>, <c>list_nodes</c>; the defaults are the node's own).
/// </summary>
public sealed class TopologyOptions
{
    /// <summary>The strategy: <c>Epmd</c>, <c>LocalEpmd</c>, <c>ErlangHosts</c>, <c>DnsPoll</c>, <c>KubernetesDns</c>, <c>KubernetesDnsSrv</c>, <c>Gossip</c> or a registered custom one.</summary>
    public string Strategy { get; set; } = "";

    /// <summary>
    /// Strategy keys (<c>Hosts</c>, <c>Query</c>, <c>PollingInterval</c>, ...) and the keys every topology
    /// takes (<c>MinPeers</c>, <c>Prune</c>, <c>GracePeriod</c>, <c>ConnectTimeout</c>). Lists are comma-separated.
    /// </summary>
    public Dictionary<string, string> Config { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary><c>connect</c>: true when connected. Default: <see cref="BeamNode.ConnectAsync"/>.</summary>
    public Func<BeamNode, string, CancellationToken, Task<bool>>? Connect { get; set; }

    /// <summary><c>disconnect</c>: true when a connection was dropped. Default: <see cref="BeamNode.Disconnect"/>.</summary>
    public Func<BeamNode, string, bool>? Disconnect { get; set; }

    /// <summary><c>list_nodes</c>: the nodes counted as connected. Default: <c>nodes(connected)</c>.</summary>
    public Func<BeamNode, IReadOnlyCollection<string>>? ListNodes { get; set; }
}
