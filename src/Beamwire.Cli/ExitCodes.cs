namespace Beamwire.Cli;

/// <summary>
/// What a <c>beamwire</c> exit status means, the same for every subcommand (docs/cli.md lists them).
/// Scripts and container orchestrators branch on these, so they never change meaning.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Success: the node ran and stopped cleanly, ping answered pong, rpc returned a value.</summary>
    public const int Ok = 0;

    /// <summary>The operation ran but the answer was no: pang, <c>{badrpc, _}</c>, an rpc that raised.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong: unknown flag, missing argument, a term that does not parse.</summary>
    public const int Usage = 2;

    /// <summary>The configuration was wrong: unknown key in appsettings.json, a value of the wrong type, an unreadable file.</summary>
    public const int Config = 3;

    /// <summary>The node name is already registered with epmd (another node runs under it).</summary>
    public const int NameInUse = 4;

    /// <summary>No epmd answered (and none could be or was allowed to be started).</summary>
    public const int EpmdUnreachable = 5;

    /// <summary>The cookie file could not be read, created or was refused (permissions, bad characters).</summary>
    public const int Cookie = 6;

    /// <summary>The target node could not be reached: not registered, connection refused, handshake refused.</summary>
    public const int Unreachable = 7;

    /// <summary>The distribution port (or port range) could not be listened on.</summary>
    public const int PortUnavailable = 8;
}
