using Beamwire.Hosting.Processes;
using Beamwire.Node;
using Beamwire.Terms;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Beamwire.Hosting;

/// <summary>
/// Ties the node to the host's lifetime: the node starts in <see cref="StartingAsync"/> (before any hosted
/// service's StartAsync, so before the app serves), with a root supervisor running the GenServers added
/// through <see cref="IBeamwireBuilder.AddGenServer{TServer}"/>; on stop the supervisor stops its children in
/// reverse order and the node leaves the cluster, within the host's shutdown timeout.
/// </summary>
internal sealed partial class BeamNodeHostedService(
    BeamNodeHost host, IEnumerable<GenServerRegistration> servers, IServiceProvider services, ILogger<BeamNodeHostedService> logger) : IHostedLifecycleService
{
    private readonly GenServerRegistration[] _servers = servers.ToArray();
    private Supervisor? _supervisor;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (!host.DistributionEnabled)
        {
            DistributionOff(logger);
            return;
        }

        var node = await host.GetOrStartAsync(cancellationToken).ConfigureAwait(false);
        if (_servers.Length == 0) return;
        var children = _servers.Select(s => new ChildSpec(s.Name, (sup, _) => GenServer.StartLinkAsync(sup, s.Create(services), s.Name)) { Restart = s.Restart });
        _supervisor = new Supervisor(new SupervisorOptions { MaxRestarts = 3, Period = TimeSpan.FromSeconds(5) }, children);
        await GenServer.StartAsync(node, _supervisor, "beamwire_host_sup", cancellationToken).ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_supervisor is { } sup) await sup.StopAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out: the node is closed below anyway, which ends every process.
        }
        finally
        {
            await host.StopAsync().ConfigureAwait(false);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "RELEASE_DISTRIBUTION=none: no Beamwire node is started")]
    private static partial void DistributionOff(ILogger logger);
}
