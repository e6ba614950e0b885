using Beamwire.Node;

namespace Beamwire.Hosting.Processes;

/// <summary>A GenServer the host starts under its node's supervisor: its registered name and how to make a fresh instance (with DI).</summary>
internal sealed record GenServerRegistration(string Name, Func<IServiceProvider, GenServer> Create, RestartType Restart);
