using System.Security.Cryptography;
using Beamwire.Epmd;
using Beamwire.Node;
using Microsoft.Extensions.Logging;

namespace Beamwire.Cli.Commands.Common;

/// <summary>
/// The short-lived hidden node that <c>ping</c> and <c>rpc</c> (and <c>shell --remsh</c>) talk
/// through, as <c>erl -sname tmp -hidden</c> would: a random name in the target's name mode, listening
/// on loopback only, and not registered with epmd (nobody needs to find it), so it neither needs nor
/// starts an epmd; peers are found through the epmd on their own host.
/// </summary>
internal static class ClientNode
{
    public static async Task<BeamNode> StartAsync(string purpose, NodeName target, string? cookie, int epmdPort, ILoggerFactory loggers, CancellationToken ct, string? name = null)
    {
        var mode = target.IsLongName ? NodeNameMode.LongNames : NodeNameMode.ShortNames;
        name ??= $"beamwire_{purpose}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        if (!name.Contains('@', StringComparison.Ordinal))
        {
            try
            {
                name = NodeName.ForLocalNode(name, mode).Full;
            }
            catch (NodeNameException) when (mode == NodeNameMode.LongNames)
            {
                name += "@127.0.0.1"; // a machine without a domain: long names by address, as erl allows
            }
        }

        var options = new BeamNodeOptions
        {
            Name = name,
            NameMode = mode,
            Cookie = cookie,
            Hidden = true,
            Epmd = EpmdMode.Disabled,
            EpmdPort = epmdPort,
            ListenAddress = System.Net.IPAddress.Loopback,
            PortResolver = async (peer, token) =>
                (await new EpmdClient(peer.Host, epmdPort).PortPleaseAsync(peer.Alive, token).ConfigureAwait(false))?.Port,
        };
        return await NodeStarter.StartAsync(options, loggers, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks that the target's epmd answers and knows the name, so a failure can say which step
    /// failed: epmd down (exit 5) or node not registered (exit 7).
    /// </summary>
    public static async Task EnsureRegisteredAsync(NodeName target, int epmdPort, CancellationToken ct)
    {
        EpmdNodeInfo? info;
        try
        {
            info = await new EpmdClient(target.Host, epmdPort).PortPleaseAsync(target.Alive, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is EpmdException or System.Net.Sockets.SocketException)
        {
            throw new CliException(ExitCodes.EpmdUnreachable, $"cannot reach epmd on {target.Host}:{epmdPort} ({ex.Message})", ex);
        }

        if (info is null)
            throw new CliException(ExitCodes.Unreachable, $"{target} is not running: no node '{target.Alive}' is registered with epmd on {target.Host}:{epmdPort}");
    }
}
