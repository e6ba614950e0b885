using System.CommandLine;
using Beamwire.Cli.Commands.Common;
using Beamwire.Cli.Shell;

namespace Beamwire.Cli.Commands;

/// <summary>
/// <c>beamwire shell</c>: the iex-like REPL. On a node of its own (<c>--sname node1</c>), or with
/// <c>--remsh node1@host</c> on a running node, Beamwire or Erlang/Elixir, as <c>iex --remsh</c>.
/// </summary>
internal sealed class ShellCommand : ICliCommand
{
    private readonly NodeFlags _flags = new();
    private readonly Option<string> _remsh = new("--remsh") { Description = "Run the commands on this running node (Beamwire, erl or iex), as iex --remsh", HelpName = "NODE" };

    public ShellCommand()
    {
        Command = new Command("shell", "Interactive shell, iex-like: beamwire shell --sname node1 --cookie cookie [--remsh node2@host]");
        _flags.AddTo(Command);
        Command.Add(_remsh);
        Command.SetAction((result, ct) => CommandErrors.RunAsync("shell", () => RunAsync(result, ct)));
    }

    public Command Command { get; }

    public int OnParseErrors(ParseResult result) => CommandErrors.OnParseErrors("shell", result);

    private async Task<int> RunAsync(ParseResult result, CancellationToken ct)
    {
        var settings = NodeSettings.From(_flags.Load(result));
        var remsh = result.GetValue(_remsh);
        ShellSession session;
        if (remsh is not null)
        {
            session = await ShellSession.StartRemoteAsync(settings, TargetNode.Parse(remsh), ct).ConfigureAwait(false);
        }
        else
        {
            if (settings.Name is null)
                throw new CliException(ExitCodes.Usage, "the shell runs on a node: give it a name with --sname NAME (or --name NAME@HOST), or join a running node with --remsh NODE");
            session = await ShellSession.StartLocalAsync(settings, settings.Name, ct).ConfigureAwait(false);
        }

        await using (session.ConfigureAwait(false))
        {
            await session.RunAsync(remsh is not null, ct).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }
}
