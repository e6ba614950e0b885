using Beamwire.Node;

namespace Beamwire.Cli.Commands.Node;

/// <summary>
/// Something that runs beside a started node for its whole life. This is where automatic cluster
/// formation plugs in later (a <c>--strategy</c> option adding a libcluster-like strategy that
/// connects the node to its peers): <c>beamwire node</c> starts each extension after the node is up
/// and stops them, in reverse order, before the node leaves the cluster. Nothing implements it yet.
/// </summary>
internal interface INodeExtension : IAsyncDisposable
{
    Task StartAsync(BeamNode node, CancellationToken cancellationToken);
}
