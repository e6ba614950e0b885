namespace Beamwire.Testing;

/// <summary>Which front end a peer runs: plain <c>erl</c>, or <c>elixir</c> (the iex runtime without the REPL).</summary>
public enum PeerKind { Erl, Elixir }

/// <summary>How to start a real Erlang/Elixir peer node for a test.</summary>
public sealed record PeerOptions(OtpRelease Release)
{
    public PeerKind Kind { get; init; } = PeerKind.Erl;

    /// <summary>Short name (<c>-sname</c>); the node becomes <c>name@shorthost</c>.</summary>
    public string? SName { get; init; }

    /// <summary>Long name (<c>-name</c>), e.g. <c>a@127.0.0.1</c>.</summary>
    public string? LongName { get; init; }

    public string Cookie { get; init; } = "beamwire-test";

    /// <summary>epmd port the node registers with (ERL_EPMD_PORT). Tests always set one of their own.</summary>
    public int? EpmdPort { get; init; }

    public bool Hidden { get; init; }

    /// <summary>
    /// Whether the peer may start an epmd daemon itself when none answers on its port (erl's default).
    /// Off by default: such a daemon detaches and outlives the test, so a peer whose epmd is missing
    /// fails to start instead (with <c>-start_epmd false</c>).
    /// </summary>
    public bool StartEpmd { get; init; }

    /// <summary>Extra emulator flags, e.g. <c>-kernel net_ticktime 4</c> (passed with <c>--erl</c> for Elixir).</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>How long a start may take: 1-2 s on an idle machine, over 30 s seen beside CPU burners and builds.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
