using System.Net.Sockets;
using Beamwire.Epmd;
using Beamwire.Node;
using Microsoft.Extensions.Logging;

namespace Beamwire.Cli.Commands.Common;

/// <summary>Starts a <see cref="BeamNode"/> and turns every way that can fail into a <see cref="CliException"/> with its exit code.</summary>
internal static class NodeStarter
{
    public static async Task<BeamNode> StartAsync(BeamNodeOptions options, ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            return await BeamNode.StartAsync(options, loggers, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (Classify(ex, options) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>The exit code and one-line message for a start-up failure; null for a bug (which should surface).</summary>
    public static CliException? Classify(Exception ex, BeamNodeOptions options)
    {
        var epmdPort = options.EpmdPort ?? EpmdDefaults.ResolvePort();
        return ex switch
        {
            CookieException => new CliException(ExitCodes.Cookie, ex.Message, ex),
            NodeNameException => new CliException(ExitCodes.Usage, ex.Message, ex),
            BeamNodeException { InnerException: EpmdException { Reason: EpmdErrorReason.NameTaken } } =>
                new CliException(ExitCodes.NameInUse, ex.Message, ex),
            BeamNodeException { InnerException: SocketException } => new CliException(ExitCodes.PortUnavailable, ex.Message, ex),
            EpmdException { Reason: EpmdErrorReason.NotRunning } => new CliException(ExitCodes.EpmdUnreachable,
                options.Epmd == EpmdMode.External
                    ? $"no epmd answers on {options.EpmdHost}:{epmdPort} (and --start-epmd false forbids starting one)"
                    : $"no epmd answers on {options.EpmdHost}:{epmdPort}, and none could be started there", ex),
            EpmdException => new CliException(ExitCodes.EpmdUnreachable, $"epmd on {options.EpmdHost}:{epmdPort}: {ex.Message}", ex),
            SocketException => new CliException(ExitCodes.EpmdUnreachable, $"epmd on {options.EpmdHost}:{epmdPort}: {ex.Message}", ex),
            ArgumentException => new CliException(ExitCodes.Usage, ex.Message, ex),
            _ => null,
        };
    }
}
