using System.CommandLine;
using Beamwire.Cli.Commands;

namespace Beamwire.Cli;

/// <summary>
/// The <c>beamwire</c> command. Each subcommand lives in <c>Commands/</c> and is listed here once;
/// a subcommand may answer its own parse errors (epmd prints epmd's usage text, as erl's epmd does).
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        ICliCommand[] commands = [new NodeCommand(), new ShellCommand(), new PingCommand(), new RpcCommand(), new NamesCommand(), new EpmdCommand()];

        var root = new RootCommand("Beamwire: Erlang distribution for .NET.");
        foreach (var c in commands)
            root.Add(c.Command);

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var c in commands)
                if (ReferenceEquals(result.CommandResult.Command, c.Command))
                    return c.OnParseErrors(result);
        }

        // Commands handle SIGINT/SIGTERM themselves (a node leaves the cluster first; the shell cancels
        // the running expression): System.CommandLine must not exit the process under them.
        return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }
}
