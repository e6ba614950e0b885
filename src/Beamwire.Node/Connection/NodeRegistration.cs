using System.Security.Cryptography;
using Beamwire.Epmd;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Connection;

/// <summary>
/// How this node is found and finds others: registered with epmd (which hands out the creation), an
/// epmd started in this process when none answers (as erl starts one), or no epmd at all with fixed
/// ports. Also resolves a peer's distribution port.
/// </summary>
internal sealed class NodeRegistration : IAsyncDisposable
{
    private readonly BeamNodeOptions _options;
    private readonly EpmdRegistration? _registration;
    private readonly EpmdDaemon? _daemon;
    private readonly int _epmdPort;

    private NodeRegistration(BeamNodeOptions options, uint creation, int epmdPort, EpmdRegistration? registration, EpmdDaemon? daemon)
    {
        _options = options;
        Creation = creation;
        _epmdPort = epmdPort;
        _registration = registration;
        _daemon = daemon;
    }

    public uint Creation { get; }

    public static async Task<NodeRegistration> RegisterAsync(BeamNodeOptions options, NodeName self, int listenPort, ILoggerFactory loggers, CancellationToken ct)
    {
        if (options.Epmd == EpmdMode.Disabled)
        {
            // Without epmd nobody hands out creations: pick a random non-zero one, as erl does then.
            uint creation;
            do creation = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4)); while (creation < 4);
            return new NodeRegistration(options, creation, 0, null, null);
        }

        var epmdPort = options.EpmdPort ?? EpmdDefaults.ResolvePort();
        var client = new EpmdClient(options.EpmdHost, epmdPort);
        var type = options.Hidden ? EpmdNodeType.Hidden : EpmdNodeType.Normal;
        EpmdDaemon? daemon = null;
        if (options.Epmd == EpmdMode.Auto)
        {
            // As erl does: when no epmd answers, start one (in this process by default).
            var epmdLogger = loggers.CreateLogger("Beamwire.Epmd");
            daemon = await EpmdAutoStart.EnsureRunningAsync(epmdPort, new EpmdAutoStartOptions { Mode = options.EpmdAutoStartMode }, epmdLogger, ct)
                .ConfigureAwait(false);
            if (daemon is not null)
            {
                var nodeLogger = loggers.CreateLogger("Beamwire.Node");
                NodeLog.EpmdStarted(nodeLogger, epmdPort);
            }
        }

        try
        {
            var registration = await RegisterOnceAsync(client, self, listenPort, type, ct).ConfigureAwait(false);
            return new NodeRegistration(options, registration.Creation, epmdPort, registration, daemon);
        }
        catch
        {
            if (daemon is not null) await daemon.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<EpmdRegistration> RegisterOnceAsync(EpmdClient client, NodeName self, int port, EpmdNodeType type, CancellationToken ct)
    {
        try
        {
            return await client.RegisterAsync(self.Alive, port, type, 6, 5, default, ct).ConfigureAwait(false);
        }
        catch (EpmdException ex) when (ex.Reason == EpmdErrorReason.NameTaken)
        {
            throw new BeamNodeException($"The name '{self.Alive}' is already registered with epmd on port {client.Port}: another node runs as {self}.", ex);
        }
    }

    /// <summary>A peer's distribution port: the resolver, the fixed peer port without epmd, or PORT_PLEASE2 to the epmd on its host.</summary>
    public async ValueTask<int?> ResolvePortAsync(NodeName node, CancellationToken ct)
    {
        if (_options.PortResolver is { } resolver) return await resolver(node, ct).ConfigureAwait(false);
        if (_options.Epmd == EpmdMode.Disabled) return _options.PeerPort ?? _options.ListenPort;
        var info = await new EpmdClient(node.Host, _epmdPort).PortPleaseAsync(node.Alive, ct).ConfigureAwait(false);
        if (info is null) return null;
        if (info.HighestVersion < 6)
            throw new Handshake.HandshakeException($"{node} speaks only distribution protocol {info.HighestVersion}; version 6 (OTP 23+) is required.");
        return info.Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_registration is not null) await _registration.DisposeAsync().ConfigureAwait(false);
        if (_daemon is not null) await _daemon.DisposeAsync().ConfigureAwait(false);
    }
}
