using System.Diagnostics.CodeAnalysis;
using Beamwire.Hosting.Processes;
using Beamwire.Node;
using Microsoft.Extensions.DependencyInjection;

namespace Beamwire.Hosting;

/// <summary>What <c>AddBeamwireNode</c> returns: adds processes (and, in other packages, the cluster) to the host's node.</summary>
public interface IBeamwireBuilder
{
    IServiceCollection Services { get; }

    /// <summary>
    /// Runs <typeparamref name="TServer"/> under the node's supervisor, registered as <paramref name="name"/>
    /// (<c>GenServer.call({:name, :"node@host"}, req)</c> from Elixir reaches it). Each start (and restart)
    /// creates a new instance with constructor injection from the host's services.
    /// </summary>
    IBeamwireBuilder AddGenServer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TServer>(
        string name, RestartType restart = RestartType.Permanent) where TServer : GenServer;
}

internal sealed class BeamwireBuilder(IServiceCollection services) : IBeamwireBuilder
{
    public IServiceCollection Services { get; } = services;

    public IBeamwireBuilder AddGenServer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TServer>(
        string name, RestartType restart = RestartType.Permanent) where TServer : GenServer
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Services.AddSingleton(new GenServerRegistration(name, sp => ActivatorUtilities.CreateInstance<TServer>(sp), restart));
        return this;
    }
}
