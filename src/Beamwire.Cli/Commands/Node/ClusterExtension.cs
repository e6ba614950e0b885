using Beamwire.Cluster;
using Beamwire.Node;
using Microsoft.Extensions.Logging;

namespace Beamwire.Cli.Commands.Node;

/// <summary>Runs the node's cluster topologies (Beamwire.Cluster) for the node's life; their log lines are libcluster's.</summary>
internal sealed class ClusterExtension(ClusterOptions options, ILoggerFactory loggers) : INodeExtension
{
    private ClusterService? _cluster;

    public async Task StartAsync(BeamNode node, CancellationToken cancellationToken) =>
        _cluster = await ClusterService.StartAsync(node, options, new CategoryLoggers(loggers), null, cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync().ConfigureAwait(false);
    }

    // The command prints info lines of its own categories only; the cluster's lines are part of its output.
    private sealed class CategoryLoggers(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => inner.CreateLogger("Beamwire.Cli.Cluster");

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() { }
    }
}
