using System.Net;

namespace Beamwire.Epmd;

/// <summary>How an <see cref="EpmdDaemon"/> listens and what it tolerates.</summary>
public sealed class EpmdDaemonOptions
{
    /// <summary>Port to listen on; 0 picks a free one (see <see cref="EpmdDaemon.Port"/>). Default 4369.</summary>
    public int Port { get; set; } = EpmdDefaults.Port;

    /// <summary>
    /// Addresses to listen on. Empty (the default) listens on every IPv4 and IPv6 address, as epmd does;
    /// otherwise on these plus both loopbacks (epmd's <c>-address</c> rule: local nodes must always reach it).
    /// </summary>
    public IList<IPAddress> Addresses { get; } = new List<IPAddress>();

    /// <summary>
    /// epmd's <c>-relaxed_command_check</c>: KILL succeeds while nodes are registered and STOP
    /// (forced unregister) is allowed. Both still only from the local host.
    /// </summary>
    public bool RelaxedCommandCheck { get; set; }

    /// <summary>
    /// How long a connection may take to deliver its request before it is closed (epmd's
    /// packet timeout, 60 s there; shorter here so idle sockets cannot pile up). Registrations are exempt.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Open connections (registrations included) beyond which new ones are closed at once.</summary>
    public int MaxConnections { get; set; } = 4096;

    /// <summary>
    /// How many unregistered names are remembered so a re-registration gets the next creation
    /// (epmd: 1000, or 5 with <c>-d</c>).
    /// </summary>
    public int MaxUnregisteredNames { get; set; } = 1000;

    /// <summary>
    /// Accept loops per listening socket (default: one per processor). Each loop serves the
    /// requests that are complete on arrival without leaving its thread.
    /// </summary>
    public int AcceptLoops { get; set; } = Environment.ProcessorCount;

    /// <summary>Use the portable accept loop even on Linux (tests cover both loops with it).</summary>
    internal bool PortableAcceptLoop { get; set; }

    internal void Validate()
    {
        if (Port is < 0 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "A TCP port is 0..65535.");
        if (RequestTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "The request timeout must be positive.");
        if (MaxConnections < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxConnections), MaxConnections, "At least one connection.");
        if (MaxUnregisteredNames < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxUnregisteredNames), MaxUnregisteredNames, "Not negative.");
        if (AcceptLoops < 1)
            throw new ArgumentOutOfRangeException(nameof(AcceptLoops), AcceptLoops, "At least one accept loop.");
    }
}
