using Beamwire.Cluster.Configuration;
using Beamwire.Cluster.Diagnostics;
using Beamwire.Cluster.Strategies;
using Beamwire.Node;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Beamwire.Cluster;

/// <summary>
/// libcluster's <c>Cluster.Supervisor</c> for a <see cref="BeamNode"/>: runs every topology of a
/// <see cref="ClusterOptions"/> side by side. Every strategy and key is validated before anything
/// starts, so a bad configuration fails <see cref="StartAsync(BeamNode, ClusterOptions, ILoggerFactory?, TimeProvider?, CancellationToken)"/>
/// with a <see cref="ClusterConfigurationException"/> that names the key, the value and what is allowed.
/// </summary>
public sealed class ClusterService : IAsyncDisposable
{
    private readonly List<ClusterTopology> _topologies;
    private readonly ClusterMetrics _metrics;

    private ClusterService(List<ClusterTopology> topologies, ClusterMetrics metrics)
    {
        _topologies = topologies;
        _metrics = metrics;
    }

    /// <summary>The running topologies, in configuration order.</summary>
    public IReadOnlyList<ClusterTopology> Topologies => _topologies;

    public ClusterTopology this[string name] => _topologies.First(t => t.Name == name);

    /// <summary>Completes when every topology is formed (<c>MinPeers</c> of its members connected).</summary>
    public Task WhenFormedAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_topologies.Select(t => t.WhenFormedAsync(cancellationToken)));

    public static Task<ClusterService> StartAsync(BeamNode node, IOptions<ClusterOptions> options, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default) =>
        StartAsync(node, options.Value, loggers, null, cancellationToken);

    public static Task<ClusterService> StartAsync(BeamNode node, ClusterOptions options, ILoggerFactory? loggers = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var built = Validate(options);
        var logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("Beamwire.Cluster");
        var topologies = new List<ClusterTopology>();
        var metrics = new ClusterMetrics(node.Self.Full, () => topologies.Select(t =>
            new System.Diagnostics.Metrics.Measurement<int>(t.Members.Count, new KeyValuePair<string, object?>("topology", t.Name))));
        foreach (var (name, strategyName, strategy, settings, hooks) in built)
            topologies.Add(new ClusterTopology(name, strategyName, strategy, settings, hooks, node, logger, time ?? TimeProvider.System, metrics));
        foreach (var t in topologies) t.Start();
        return Task.FromResult(new ClusterService(topologies, metrics));
    }

    /// <summary>Checks every topology (strategy name, keys, values) without starting anything.</summary>
    public static void ValidateOptions(ClusterOptions options) => Validate(options);

    private static List<(string, string, IClusterStrategy, TopologySettings, TopologyOptions)> Validate(ClusterOptions options)
    {
        var list = new List<(string, string, IClusterStrategy, TopologySettings, TopologyOptions)>();
        foreach (var (name, t) in options.Topologies)
        {
            var path = $"{ClusterOptions.SectionName}:Topologies:{name}:Strategy";
            if (string.IsNullOrWhiteSpace(name) || name.Contains(']', StringComparison.Ordinal))
                throw new ClusterConfigurationException($"{ClusterOptions.SectionName}:Topologies:'{name}' is not a usable topology name: give a word such as example");
            if (string.IsNullOrWhiteSpace(t.Strategy))
                throw new ClusterConfigurationException($"{path} is required: give one of {string.Join(", ", StrategyRegistry.Names)}");
            if (!StrategyRegistry.TryGet(t.Strategy, out var d))
                throw new ClusterConfigurationException($"{path} = '{t.Strategy}' is not a strategy: give one of {string.Join(", ", StrategyRegistry.Names)}");
            var config = new StrategyConfig(name, d.Name, t.Config);
            var settings = TopologySettings.Read(config);
            var strategy = d.Create(config);
            config.RejectUnknownKeys();
            list.Add((name, d.Name, strategy, settings, t));
        }

        return list;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _topologies.Count - 1; i >= 0; i--) await _topologies[i].DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
    }
}
