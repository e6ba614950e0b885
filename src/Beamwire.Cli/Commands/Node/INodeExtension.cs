using Beamwire.Node;

namespace Beamwire.Cli.Commands.Node;

/// <summary>
/// Something that runs beside a started node for its whole life: <c>beamwire node</c> starts each
/// extension after the node is up and stops them, in reverse order, before the node leaves the
/// cluster. Automatic cluster formation (<see cref="ClusterExtension"/>: <c>--strategy</c>,
/// <c>--topology</c>) plugs in here.
/// </summary>
internal interface INodeExtension : IAsyncDisposable
{
    Task StartAsync(BeamNode node, CancellationToken cancellationToken);
}
