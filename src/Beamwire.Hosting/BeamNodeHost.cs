using System.Diagnostics.Metrics;
using Beamwire.Node;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Beamwire.Hosting;

/// <summary>
/// Owns the host's node: starts it once (at host start, or earlier if something resolves <see cref="BeamNode"/>
/// first), and stops it with the host. Injectable, for code that wants to await the node instead of
/// resolving it.
/// </summary>
public sealed class BeamNodeHost : IAsyncDisposable
{
    private readonly IOptions<BeamNodeOptions> _options;
    private readonly ILoggerFactory _loggers;
    private readonly IMeterFactory? _meters;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private BeamNode? _node;
    private int _stopped;

    public BeamNodeHost(IOptions<BeamNodeOptions> options, ILoggerFactory loggers, BeamwireHostOptions hostOptions, IMeterFactory? meters = null)
    {
        _options = options;
        _loggers = loggers;
        _meters = meters;
        DistributionEnabled = hostOptions.DistributionEnabled;
    }

    /// <summary>False when <c>RELEASE_DISTRIBUTION=none</c>: the host runs without a node.</summary>
    public bool DistributionEnabled { get; }

    /// <summary>The node once started, else null.</summary>
    public BeamNode? Node => Volatile.Read(ref _node);

    /// <summary>Starts the node (once) and returns it.</summary>
    public async Task<BeamNode> GetOrStartAsync(CancellationToken cancellationToken = default)
    {
        if (Node is { } started) return started;
        if (!DistributionEnabled)
            throw new InvalidOperationException("RELEASE_DISTRIBUTION=none: this host runs without a Beamwire node.");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _stopped) != 0) throw new ObjectDisposedException(nameof(BeamNodeHost), "The host stopped its Beamwire node.");
            if (_node is null)
            {
                var node = await BeamNode.StartAsync(_options.Value, _loggers, _meters, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _node, node);
            }

            return _node;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Leaves the cluster: closes connections and unregisters from epmd.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_node is { } node) await node.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}

/// <summary>What the host itself decides about its node (not node options).</summary>
public sealed class BeamwireHostOptions
{
    /// <summary>False when the release variables say <c>RELEASE_DISTRIBUTION=none</c>.</summary>
    public bool DistributionEnabled { get; set; } = true;
}
