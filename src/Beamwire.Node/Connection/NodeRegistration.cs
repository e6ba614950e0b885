using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using Beamwire.Epmd;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Connection;

/// <summary>
/// How this node is found and finds others: registered with epmd (which hands out the creation), an
/// epmd started when none answers (as erl starts one), or no epmd at all with fixed ports. Also
/// resolves a peer's distribution port.
/// <para>
/// The registration is kept for the node's whole life. epmd holds a name exactly as long as the ALIVE2
/// connection is open, so its close (epmd killed, or stopped with the process that hosted it in-process)
/// is the signal: the node then finds the epmd that took over the port, or starts one itself
/// (<see cref="EpmdMode.Auto"/>), and registers again. Every Beamwire node on the host does the same at
/// the same moment; one wins the bind and the others find it, as at start-up.
/// </para>
/// </summary>
internal sealed class NodeRegistration : IAsyncDisposable
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan WarnAfter = TimeSpan.FromSeconds(2);

    private readonly BeamNodeOptions _options;
    private readonly NodeName _self;
    private readonly int _listenPort;
    private readonly int _epmdPort;
    private readonly EpmdClient? _client;
    private readonly ILogger _logger;
    private readonly ILogger _epmdLogger;
    private readonly CancellationTokenSource _stopping = new();
    private EpmdRegistration? _registration;
    private EpmdDaemon? _daemon;
    private Task _keeper = Task.CompletedTask;

    private NodeRegistration(BeamNodeOptions options, NodeName self, int listenPort, int epmdPort, ILoggerFactory loggers)
    {
        _options = options;
        _self = self;
        _listenPort = listenPort;
        _epmdPort = epmdPort;
        _logger = loggers.CreateLogger("Beamwire.Node");
        _epmdLogger = loggers.CreateLogger("Beamwire.Epmd");
        if (options.Epmd != EpmdMode.Disabled)
            _client = new EpmdClient(options.EpmdHost, epmdPort);
    }

    public uint Creation { get; private set; }

    public static async Task<NodeRegistration> RegisterAsync(BeamNodeOptions options, NodeName self, int listenPort, ILoggerFactory loggers, CancellationToken ct)
    {
        if (options.Epmd == EpmdMode.Disabled)
        {
            // Without epmd nobody hands out creations: pick a random non-zero one, as erl does then.
            uint creation;
            do creation = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4)); while (creation < 4);
            return new NodeRegistration(options, self, listenPort, 0, loggers) { Creation = creation };
        }

        var registration = new NodeRegistration(options, self, listenPort, options.EpmdPort ?? EpmdDefaults.ResolvePort(), loggers);
        try
        {
            await registration.EnsureEpmdAsync(ct).ConfigureAwait(false);
            registration._registration = await registration.RegisterOnceAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        registration.Creation = registration._registration.Creation;
        registration._keeper = Task.Run(registration.KeepRegisteredAsync, CancellationToken.None); // lives as long as the node, not the start call
        return registration;
    }

    // As erl does: when no epmd answers, start one (in this process by default). A daemon this node
    // started earlier and that still runs (its registration was dropped by `epmd -stop`) is kept.
    private async Task EnsureEpmdAsync(CancellationToken ct)
    {
        if (_options.Epmd != EpmdMode.Auto)
            return;
        if (_daemon is not null)
        {
            if (!_daemon.Completion.IsCompleted)
                return;
            await _daemon.DisposeAsync().ConfigureAwait(false); // stopped by KILL_REQ
            _daemon = null;
        }

        _daemon = await EpmdAutoStart.EnsureRunningAsync(_epmdPort, _options.EpmdAutoStart, _epmdLogger, ct).ConfigureAwait(false);
        if (_daemon is not null)
            NodeLog.EpmdStarted(_logger, _epmdPort);
    }

    private async Task<EpmdRegistration> RegisterOnceAsync(CancellationToken ct)
    {
        var type = _options.Hidden ? EpmdNodeType.Hidden : EpmdNodeType.Normal;
        try
        {
            return await _client!.RegisterAsync(_self.Alive, _listenPort, type, 6, 5, default, ct).ConfigureAwait(false);
        }
        catch (EpmdException ex) when (ex.Reason == EpmdErrorReason.NameTaken)
        {
            throw new BeamNodeException($"The name '{_self.Alive}' is already registered with epmd on port {_client!.Port}: another node runs as {_self}.", ex);
        }
    }

    // Waits for the registration's connection to close while the node runs, then registers again. The
    // node keeps the creation it started with: its pids, ports and references stay valid; the creation the
    // new epmd hands out only tells a later incarnation of the name apart, which this is not.
    private async Task KeepRegisteredAsync()
    {
        var ct = _stopping.Token;
        while (!ct.IsCancellationRequested)
        {
            var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (_registration!.Lost.Register(() => lost.TrySetResult()))
            using (ct.Register(() => lost.TrySetResult()))
                await lost.Task.ConfigureAwait(false);
            if (ct.IsCancellationRequested)
                return;

            var clock = Stopwatch.StartNew();
            NodeLog.EpmdRegistrationLost(_logger, _self.Full, _epmdPort);
            await _registration.DisposeAsync().ConfigureAwait(false);
            if (!await RegisterAgainAsync(clock, ct).ConfigureAwait(false))
                return;
            NodeLog.EpmdRegisteredAgain(_logger, _self.Full, _epmdPort, clock.ElapsedMilliseconds,
                _daemon is not null ? "started in this process" : "already running");
        }
    }

    // Retries quickly at first (the nodes of a host race for the port; the losers find the winner a moment
    // later) and then every half second, until registered or the node stops. One warning if it takes long.
    private async Task<bool> RegisterAgainAsync(Stopwatch clock, CancellationToken ct)
    {
        var warned = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsureEpmdAsync(ct).ConfigureAwait(false);
                _registration = await RegisterOnceAsync(ct).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex) when (ex is EpmdException or BeamNodeException or SocketException)
            {
                if (!warned && clock.Elapsed > WarnAfter)
                {
                    NodeLog.EpmdStillUnregistered(_logger, _self.Full, _epmdPort, clock.ElapsedMilliseconds, ex.Message);
                    warned = true;
                }
            }

            var delay = TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 10 * attempt * attempt) + Random.Shared.Next(10));
            try
            {
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
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

    /// <summary>
    /// Stops registering again, first thing when the node stops: an epmd that goes away while the node
    /// leaves (both stopped together) must not make it start another one on its way out.
    /// </summary>
    public async Task StopKeepingAsync()
    {
        if (!_stopping.IsCancellationRequested)
            await _stopping.CancelAsync().ConfigureAwait(false);
        await _keeper.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopKeepingAsync().ConfigureAwait(false);
        if (_registration is not null) await _registration.DisposeAsync().ConfigureAwait(false);
        if (_daemon is not null) await _daemon.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
