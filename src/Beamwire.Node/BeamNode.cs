using Beamwire.Node.Connection;
using Beamwire.Node.Control;
using Beamwire.Node.Diagnostics;
using Beamwire.Node.GlobalNames;
using Beamwire.Node.Groups;
using Beamwire.Node.Handshake;
using Beamwire.Node.Processes;
using Beamwire.Node.Services;
using Beamwire.Terms;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beamwire.Node;

/// <summary>
/// A real Erlang node in this .NET process: it registers with epmd (or runs without it), accepts and
/// opens distribution connections (handshake v6, ticks), answers <c>net_adm:ping</c>, keeps
/// <c>global</c> and <c>pg</c> on its peers content, and hosts mailboxes that exchange messages with
/// Erlang and Elixir processes. Start one with <see cref="StartAsync"/>; dispose it to leave the cluster.
/// </summary>
public sealed partial class BeamNode : IAsyncDisposable, IConnectionOwner, INodeEvents
{
    private readonly CookieJar _cookies;
    private readonly DistListener _listener;
    private readonly NodeRegistration _registration;
    private readonly DistMetrics _metrics;
    private readonly ControlDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _ticker;
    private readonly PgScopes _pg;
    private readonly Mailbox _system;
    private int _disposed;

    private BeamNode(BeamNodeOptions options, NodeName self, CookieJar cookies, DistListener listener, NodeRegistration registration, ILoggerFactory loggerFactory,
        IMeterFactory? meterFactory)
    {
        MeterFactory = meterFactory;
        Options = options;
        Self = self;
        SelfAtom = ErlangAtom.Get(self.Full);
        _cookies = cookies;
        _listener = listener;
        _registration = registration;
        LoggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Beamwire.Node");
        _metrics = new DistMetrics(self.Full, meterFactory);
        Processes = new ProcessTable(SelfAtom, registration.Creation);
        var connectionSettings = new ConnectionSettings(
            options.SendQueueLimit, options.MaxMessageSize, 1024,
            new TermDecoderOptions { MaxTotalSize = options.MaxMessageSize, MaxAtoms = int.MaxValue },
            (int)Math.Ceiling(options.ReceiveCoalescing.TotalMicroseconds));
        Connections = new ConnectionTable(self, HandshakeSettings, connectionSettings, registration.ResolvePortAsync, this, this,
            loggerFactory.CreateLogger("Beamwire.Node.Connection"));
        Router = new MessageRouter(Processes, Connections, SelfAtom);
        InitProcesses();
        _dispatcher = new ControlDispatcher(Processes, SelfAtom, new SignalHandler(this));

        new NetKernelService(this).Register();
        GlobalServer = GlobalServer.Start(this);
        Global = new GlobalRegistry(this, GlobalServer);
        new RexService(this).Register();
        _pg = new PgScopes(this);
        foreach (var scope in options.PgScopes) _pg.GetOrStart(scope);

        _system = CreateMailbox();
        _listener.Start(Connections);
        _ticker = Task.Run(TickLoopAsync);
    }

    /// <summary>This node's name.</summary>
    public NodeName Self { get; }

    /// <summary>This node's name as the atom pids and references carry.</summary>
    public ErlangAtom SelfAtom { get; }

    /// <summary>The incarnation number (from epmd) stamped on this node's pids and references.</summary>
    public uint Creation => _registration.Creation;

    /// <summary>The TCP port the node accepts distribution connections on.</summary>
    public int Port => _listener.Port;

    /// <summary>The options the node was started with.</summary>
    public BeamNodeOptions Options { get; }

    /// <summary>The default cookie (<c>erlang:get_cookie/0</c>).</summary>
    public string Cookie => _cookies.Default;

    /// <summary>A connection came up.</summary>
    public event EventHandler<NodeUpEventArgs>? NodeUp;

    /// <summary>A connection went down (with Erlang's nodedown reason).</summary>
    public event EventHandler<NodeDownEventArgs>? NodeDown;

    internal ILoggerFactory LoggerFactory { get; }

    internal IMeterFactory? MeterFactory { get; }

    internal ProcessTable Processes { get; }

    internal ConnectionTable Connections { get; }

    internal MessageRouter Router { get; }

    internal GlobalServer GlobalServer { get; }

    /// <summary>global's names, shared with every node of the cluster (<c>global:register_name</c> and friends).</summary>
    public GlobalRegistry Global { get; }

    IControlHandler IConnectionOwner.Handler => _dispatcher;

    DistMetrics IConnectionOwner.Metrics => _metrics;

    /// <summary>Starts a node: listens, registers with epmd (starting one when needed), and runs its services.</summary>
    public static Task<BeamNode> StartAsync(BeamNodeOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default) =>
        StartAsync(options, loggerFactory, null, cancellationToken);

    /// <summary>
    /// Starts a node whose <c>Meter("Beamwire")</c> instruments come from <paramref name="meterFactory"/>
    /// (the host's <see cref="IMeterFactory"/>, so they are scoped to its service provider); null creates them directly.
    /// </summary>
    public static async Task<BeamNode> StartAsync(BeamNodeOptions options, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        var self = NodeName.ForLocalNode(options.Name, options.NameMode);
        var cookies = new CookieJar(options.Cookie
            ?? (options.CookieFile is { } file ? CookieFile.ReadSecret(file) : CookieFile.ReadOrCreate(options.CookieHome)));
        var listener = DistListener.Bind(options, loggerFactory.CreateLogger("Beamwire.Node.Listener"));
        try
        {
            var registration = await NodeRegistration.RegisterAsync(options, self, listener.Port, loggerFactory, cancellationToken).ConfigureAwait(false);
            return new BeamNode(options, self, cookies, listener, registration, loggerFactory, meterFactory);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Starts a node from options bound through Microsoft.Extensions.Options.</summary>
    public static Task<BeamNode> StartAsync(Microsoft.Extensions.Options.IOptions<BeamNodeOptions> options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return StartAsync(options.Value, loggerFactory, cancellationToken);
    }

    private HandshakeSettings HandshakeSettings() =>
        new(Self, Creation, FlagSets.Advertised | (Options.Hidden ? 0 : DistributionFlags.Published), _cookies.For, Options.HandshakeTimeout, Options.NameMode)
        {
            Allowed = Options.AllowedNodes.Select(NodeName.Parse).ToList(),
        };

    // ---- cookies -------------------------------------------------------------------------------

    /// <summary><c>erlang:set_cookie/1</c>: the cookie for every node without an override.</summary>
    public void SetCookie(string cookie) => _cookies.Default = cookie;

    /// <summary><c>erlang:set_cookie/2</c>: the cookie used with one node.</summary>
    public void SetCookie(string node, string cookie) => _cookies.Set(NodeName.Parse(node), cookie);

    /// <summary><c>erlang:get_cookie/1</c>.</summary>
    public string GetCookie(string node) => _cookies.For(NodeName.Parse(node));

    // ---- connections ---------------------------------------------------------------------------

    /// <summary><c>net_kernel:connect_node/1</c>: true when the node is (now) connected.</summary>
    public async Task<bool> ConnectAsync(string node, CancellationToken cancellationToken = default)
    {
        if (!NodeName.TryParse(node, out var name)) return false;
        return await Connections.ConnectAsync(name).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>erlang:disconnect_node/1</c>: true when there was a connection to drop.</summary>
    public bool Disconnect(string node) => NodeName.TryParse(node, out var name) && Connections.Disconnect(name);

    /// <summary><c>nodes()</c>: connected visible nodes.</summary>
    public IReadOnlyList<NodeName> Nodes() => Nodes(NodeListKind.Visible);

    /// <summary><c>nodes(Kind)</c>.</summary>
    public IReadOnlyList<NodeName> Nodes(NodeListKind kind)
    {
        var conns = Connections.Connections;
        return kind switch
        {
            NodeListKind.Visible => conns.Where(c => c.IsPublished).Select(c => c.Peer).ToList(),
            NodeListKind.Hidden => conns.Where(c => !c.IsPublished).Select(c => c.Peer).ToList(),
            NodeListKind.Connected => conns.Select(c => c.Peer).ToList(),
            _ => Connections.Known.Append(Self).Distinct().ToList(),
        };
    }

    /// <summary>
    /// <c>net_adm:ping/1</c>: connects if needed and calls <c>net_kernel</c> there with
    /// <c>{is_auth, Self}</c>; <see cref="PingResult.Pong"/> when it answers <c>yes</c>.
    /// </summary>
    public async Task<PingResult> PingAsync(string node, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!NodeName.TryParse(node, out var name)) return PingResult.Pang;
        if (name == Self) return PingResult.Pong;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            if (!await Connections.ConnectAsync(name).WaitAsync(limit.Token).ConfigureAwait(false)) return PingResult.Pang;
            var reply = await CallAsync(ErlangAtom.Get("net_kernel"), name, new ErlangTuple(ErlangAtom.Get("is_auth"), SelfAtom), limit.Token).ConfigureAwait(false);
            if (ReferenceEquals(reply, ErlangAtom.Yes)) return PingResult.Pong;
            Connections.Disconnect(name); // what net_adm:ping does on any other answer
            return PingResult.Pang;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return PingResult.Pang;
        }
        catch (NodeDownException)
        {
            return PingResult.Pang;
        }
    }

    /// <summary>
    /// A gen_server call to <c>{name, node}</c>: sends <c>{'$gen_call', {Pid, Ref}, Request}</c> from a
    /// fresh mailbox and returns the reply, failing with <see cref="NodeDownException"/> if the node is not
    /// connected or goes down first (the call waits on that connection's own <see cref="DistConnection.Down"/>).
    /// </summary>
    internal async Task<ErlangTerm> CallAsync(ErlangAtom name, NodeName node, ErlangTerm request, CancellationToken cancellationToken)
    {
        if (Connections.Get(node) is not { } connection) throw new NodeDownException(node);
        var down = connection.Down;
        using var mailbox = CreateMailbox();
        var tag = MakeRef();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, down);
        try
        {
            await mailbox.SendAsync(name.Name, node.Full, GenMessages.Call(mailbox.Pid, tag, request), linked.Token).ConfigureAwait(false);
            var reply = await mailbox.ReceiveAsync(m => m is ErlangTuple { Count: 2 } t && t[0].Equals(tag), null, linked.Token).ConfigureAwait(false);
            return ((ErlangTuple)reply)[1];
        }
        catch (OperationCanceledException) when (down.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new NodeDownException(node);
        }
    }

    // ---- mailboxes and sending -----------------------------------------------------------------

    /// <summary>Creates a mailbox with a fresh pid, registered under <paramref name="name"/> when given.</summary>
    public Mailbox CreateMailbox(string? name = null) => CreateMailbox(new MailboxOptions { Name = name });

    /// <summary>Creates a mailbox with a fresh pid as <paramref name="options"/> say.</summary>
    public Mailbox CreateMailbox(MailboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = options.Name;
        var atom = name is null ? null : ErlangAtom.Get(name);
        var mailbox = new Mailbox(this, Processes.NewPid(), atom, options.AllowSynchronousContinuations);
        Processes.Add(mailbox);
        if (atom is not null && !Processes.Register(atom, mailbox))
        {
            Processes.Remove(mailbox);
            throw new ArgumentException($"The name '{name}' is already registered on {Self}.", nameof(options));
        }

        return mailbox;
    }

    /// <summary>A new unique reference (<c>make_ref/0</c>).</summary>
    public ErlangReference MakeRef() => Processes.NewReference();

    /// <summary>The locally registered names (<c>registered/0</c>).</summary>
    public IReadOnlyCollection<string> RegisteredNames => Processes.RegisteredNames.Select(a => a.Name).ToList();

    /// <summary><c>Pid ! Message</c> from the node's own system mailbox.</summary>
    public void Send(ErlangPid to, ErlangTerm message) => _system.Send(to, message);

    /// <summary>Sends to a locally registered name.</summary>
    public void Send(string name, ErlangTerm message) => _system.Send(name, message);

    /// <summary><c>{Name, Node} ! Message</c>.</summary>
    public void Send(string name, string node, ErlangTerm message) => _system.Send(name, node, message);

    // ---- process groups ------------------------------------------------------------------------

    /// <summary>The default pg scope, <c>pg</c> (what <c>pg:join/2</c> and <c>:pg.get_members/1</c> use); started now if the options left it out.</summary>
    public PgScope Pg => _pg.GetOrStart("pg");

    /// <summary>
    /// The pg scope <paramref name="name"/> (<c>pg:start(Scope)</c> when it is not running yet): shared with
    /// the scope of that name on every connected node, as a scope a Phoenix.PubSub or an application starts.
    /// </summary>
    public PgScope PgScope(string name) => _pg.GetOrStart(name);

    // ---- events from connections ---------------------------------------------------------------

    void INodeEvents.OnNodeUp(DistConnection connection)
    {
        if (connection.IsPublished)
        {
            _pg.OnNodeUp(connection.PeerAtom);
        }

        NodeMonitors.OnNodeUp(connection.PeerAtom, connection.IsPublished);
        Raise(NodeUp, new NodeUpEventArgs(connection.Peer, connection.IsPublished));
    }

    void INodeEvents.OnNodeDown(DistConnection connection, string reason)
    {
        _pg.OnNodeDown(connection.PeerAtom);
        Signals.OnNodeDown(connection.PeerAtom);
        NodeMonitors.OnNodeDown(connection.PeerAtom, connection.IsPublished);
        Raise(NodeDown, new NodeDownEventArgs(connection.Peer, connection.IsPublished, reason));
    }

    void IConnectionOwner.OnClosed(DistConnection connection, string reason) => Connections.OnClosed(connection, reason);

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        if (handler is null) return;
        foreach (var h in handler.GetInvocationList().Cast<EventHandler<T>>())
        {
            try
            {
                h(this, args);
            }
#pragma warning disable CA1031 // A subscriber's exception must not break the connection bookkeeping.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                NodeLog.HandlerFailed(_logger, ex, typeof(T).Name);
            }
        }
    }

    // ---- ticks ---------------------------------------------------------------------------------

    private async Task TickLoopAsync()
    {
        const int intensity = 4;
        using var timer = new PeriodicTimer(Options.NetTickTime / intensity);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                foreach (var c in Connections.Connections)
                {
                    if (c.OnTickInterval(intensity)) continue;
                    ConnectionLog.NotResponding(_logger, c.Peer.Full);
                    c.Close("net_tick_timeout");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Leaves the cluster: closes every connection, unregisters from epmd, stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        await _registration.StopKeepingAsync().ConfigureAwait(false);
        _listener.Dispose();
        Connections.Dispose();
        await _ticker.ConfigureAwait(false);
        await _registration.DisposeAsync().ConfigureAwait(false);
        StopProcesses();
        _system.Dispose();
        _metrics.Dispose();
        _stopping.Dispose();
    }

    public override string ToString() => Self.Full;
}

internal static partial class NodeLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "A {Event} subscriber threw")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string @event);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "No epmd answered on port {Port}: started one in this process")]
    public static partial void EpmdStarted(ILogger logger, int port);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Node {Node} listening on port {Port} (creation {Creation})")]
    public static partial void Started(ILogger logger, string node, int port, uint creation);
}
