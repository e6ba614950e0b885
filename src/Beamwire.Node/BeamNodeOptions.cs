using System.Net;

namespace Beamwire.Node;

/// <summary>How the node finds peers and is found: through epmd, or without it.</summary>
public enum EpmdMode
{
    /// <summary>Register with the epmd on <see cref="BeamNodeOptions.EpmdPort"/>; start one in-process when none answers (as erl starts epmd).</summary>
    Auto,

    /// <summary>Register with a running epmd; fail to start when none answers.</summary>
    External,

    /// <summary>
    /// No epmd at all (<c>-start_epmd false -erl_epmd_port P</c>): listen on <see cref="BeamNodeOptions.ListenPort"/>
    /// and reach every peer on <see cref="BeamNodeOptions.PeerPort"/> (or through <see cref="BeamNodeOptions.PortResolver"/>).
    /// </summary>
    Disabled,
}

/// <summary>Options of a <see cref="BeamNode"/>; the erl flag each mirrors is named in its comment.</summary>
public sealed class BeamNodeOptions
{
    /// <summary><c>-sname</c>/<c>-name</c>: <c>node1</c> (this machine's host is added) or <c>node1@host</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Short names (<c>-sname</c>, default) or long names (<c>-name</c>).</summary>
    public NodeNameMode NameMode { get; set; } = NodeNameMode.ShortNames;

    /// <summary><c>-setcookie</c>. When null the cookie comes from <c>~/.erlang.cookie</c>, created like erl does when missing.</summary>
    public string? Cookie { get; set; }

    /// <summary>
    /// A file holding the cookie, read when <see cref="Cookie"/> is null (a Docker or Kubernetes secret
    /// mounted as a file; Elixir releases' <c>releases/COOKIE</c>). Read-only mounts are usually readable
    /// by all, so only a file that group or others could write is refused. Takes precedence over
    /// <c>~/.erlang.cookie</c>.
    /// </summary>
    public string? CookieFile { get; set; }

    /// <summary>The home directory whose <c>.erlang.cookie</c> is used when <see cref="Cookie"/> and <see cref="CookieFile"/> are null (default: HOME).</summary>
    public string? CookieHome { get; set; }

    /// <summary><c>-hidden</c>: connections are hidden (the node is not in peers' <c>nodes()</c>).</summary>
    public bool Hidden { get; set; }

    /// <summary>Address the distribution listener binds (<c>inet_dist_use_interface</c>); default: all interfaces.</summary>
    public IPAddress ListenAddress { get; set; } = IPAddress.Any;

    /// <summary>A fixed listen port; 0 picks a free one (or one in <see cref="ListenPortMin"/>..<see cref="ListenPortMax"/>).</summary>
    public int ListenPort { get; set; }

    /// <summary><c>inet_dist_listen_min</c>: with <see cref="ListenPortMax"/>, the range to listen in.</summary>
    public int? ListenPortMin { get; set; }

    /// <summary><c>inet_dist_listen_max</c>.</summary>
    public int? ListenPortMax { get; set; }

    /// <summary>Whether and how epmd is used.</summary>
    public EpmdMode Epmd { get; set; } = EpmdMode.Auto;

    /// <summary>
    /// With <see cref="EpmdMode.Auto"/>: how a missing epmd is started, at start-up and whenever the epmd
    /// this node registered with goes away (mode, the <c>beamwire</c> command for a detached one, timeouts).
    /// </summary>
    public Beamwire.Epmd.EpmdAutoStartOptions EpmdAutoStart { get; set; } = new();

    /// <summary>
    /// With <see cref="EpmdMode.Auto"/>: start the missing epmd in this process (default) or as a detached
    /// <c>beamwire epmd -daemon</c> that outlives it (<see cref="EpmdAutoStart"/>'s mode).
    /// </summary>
    public Beamwire.Epmd.EpmdAutoStartMode EpmdAutoStartMode
    {
        get => EpmdAutoStart.Mode;
        set => EpmdAutoStart.Mode = value;
    }

    /// <summary>epmd host for registration (default localhost).</summary>
    public string EpmdHost { get; set; } = "localhost";

    /// <summary><c>ERL_EPMD_PORT</c>: the epmd port (default: that environment variable, else 4369).</summary>
    public int? EpmdPort { get; set; }

    /// <summary><c>-erl_epmd_port</c> in epmd-less mode: the port every peer listens on (default: <see cref="ListenPort"/>).</summary>
    public int? PeerPort { get; set; }

    /// <summary>Finds a peer's distribution port instead of asking epmd (containers, static layouts); null result = unknown.</summary>
    public Func<NodeName, CancellationToken, ValueTask<int?>>? PortResolver { get; set; }

    /// <summary><c>net_ticktime</c>: a peer silent this long is disconnected; ticks go out every quarter of it. Default 60 s.</summary>
    public TimeSpan NetTickTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary><c>net_setuptime</c>: the longest a connection setup (epmd, TCP, handshake) may take. Default 7 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(7);

    /// <summary>
    /// <c>dist_buf_busy_limit</c>: bytes queued on one connection above which it is busy and senders wait
    /// (<see cref="Mailbox.SendAsync(Terms.ErlangPid, Terms.ErlangTerm, CancellationToken)"/> awaits, Send blocks). Default 4 MiB.
    /// </summary>
    public long SendQueueLimit { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// How long a connection's reader pauses before its next read while a peer streams messages to this node
    /// and nothing goes back: a short read that held several frames, the second read in a row with no send on
    /// that connection in between. The stream's next messages then arrive in one read instead of a read, a
    /// wake-up and an ACK every few messages, which costs the sending node more CPU per message than the
    /// receiving one: an Erlang sender streams to a Beamwire node 1.1–1.5x faster with it (docs/performance.md).
    /// A lone frame, a request answered before the next one comes, or a windowed exchange never waits. Default
    /// 100 µs (the kernel's timer slack can add up to 50 µs); zero turns it off; at most 1 ms; Linux only
    /// (elsewhere the reader just yields).
    /// </summary>
    public TimeSpan ReceiveCoalescing { get; set; } = TimeSpan.FromMicroseconds(100);

    /// <summary>The largest message (frame, or reassembled fragments) accepted from a peer. Default 256 MiB.</summary>
    public int MaxMessageSize { get; set; } = 256 * 1024 * 1024;

    /// <summary><c>net_kernel:allow/1</c>: when non-empty, only these nodes may connect.</summary>
    public IReadOnlyCollection<string> AllowedNodes { get; set; } = [];

    /// <summary>
    /// <c>connect_all</c>: run global's sync with every visible node that connects, so that the nodes each
    /// side knows connect to each other (a full mesh), as BEAM nodes do unless started with
    /// <c>-connect_all false</c>. Default true.
    /// </summary>
    public bool ConnectAll { get; set; } = true;

    /// <summary>
    /// <c>prevent_overlapping_partitions</c>: when a connection between two known nodes is lost, global drops
    /// the nodes that would otherwise be in two partitions at once, as OTP 25+ does by default. Default true.
    /// </summary>
    public bool PreventOverlappingPartitions { get; set; } = true;

    /// <summary>pg scopes started with the node (<see cref="BeamNode.PgScope"/> starts others later). Default: kernel's <c>pg</c>, as with <c>-kernel start_pg true</c>.</summary>
    public IReadOnlyCollection<string> PgScopes { get; set; } = ["pg"];

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("BeamNodeOptions.Name is required (e.g. \"node1\" or \"node1@host\").", nameof(Name));
        if (NetTickTime < TimeSpan.FromSeconds(1)) throw new ArgumentException("NetTickTime must be at least 1 second.", nameof(NetTickTime));
        if (HandshakeTimeout <= TimeSpan.Zero) throw new ArgumentException("HandshakeTimeout must be positive.", nameof(HandshakeTimeout));
        if (ListenPort is < 0 or > 65535) throw new ArgumentException("ListenPort must be 0..65535.", nameof(ListenPort));
        if ((ListenPortMin is null) != (ListenPortMax is null) || ListenPortMin > ListenPortMax)
            throw new ArgumentException("Give both ListenPortMin and ListenPortMax, with min <= max.", nameof(ListenPortMin));
        if (Epmd == EpmdMode.Disabled && ListenPort == 0 && PortResolver is null)
            throw new ArgumentException("Without epmd the node needs a fixed ListenPort (and PeerPort or PortResolver to reach others).", nameof(ListenPort));
        if (ReceiveCoalescing < TimeSpan.Zero || ReceiveCoalescing > TimeSpan.FromMilliseconds(1))
            throw new ArgumentException("ReceiveCoalescing must be between zero (off) and 1 ms.", nameof(ReceiveCoalescing));
        ArgumentNullException.ThrowIfNull(EpmdAutoStart, nameof(EpmdAutoStart));
        if (MaxMessageSize < 1024) throw new ArgumentException("MaxMessageSize must be at least 1024 bytes.", nameof(MaxMessageSize));
    }
}
