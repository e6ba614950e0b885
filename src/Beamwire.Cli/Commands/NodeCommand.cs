using System.CommandLine;
using Beamwire.Cli.Commands.Common;
using Beamwire.Cli.Commands.Node;

namespace Beamwire.Cli.Commands;

/// <summary>
/// <c>beamwire node</c>: a long-running Erlang node (the container entrypoint). Flags as erl/iex spell
/// them, each also read from BEAMWIRE_* variables and appsettings.json; exit codes in <see cref="ExitCodes"/>.
/// </summary>
internal sealed class NodeCommand : ICliCommand
{
    private readonly NodeFlags _flags = new();
    private readonly ClusterFlags _cluster = new();
    private readonly Option<bool> _exitAfterStart = new("--exit-after-start")
    {
        Description = "Start, register, print the name and port, then stop: a start-up check (scripts/bench-startup.sh times it)",
    };

    public NodeCommand()
    {
        Command = new Command("node", "Run an Erlang node until SIGTERM/SIGINT: beamwire node --sname node1 --cookie cookie");
        _flags.AddTo(Command);
        Command.Add(_exitAfterStart);
        _cluster.AddTo(Command);
        Command.SetAction((result, ct) => CommandErrors.RunAsync("node", () => RunAsync(result, ct)));
    }

    public Command Command { get; }

    public int OnParseErrors(ParseResult result) => CommandErrors.OnParseErrors("node", result);

    private async Task<int> RunAsync(ParseResult result, CancellationToken ct)
    {
        var loaded = _flags.Load(result);
        var settings = NodeSettings.From(loaded);
        if (settings.Name is null)
            throw new CliException(ExitCodes.Usage, "a node needs a name: --sname NAME or --name NAME@HOST (or BEAMWIRE_SNAME, or Beamwire:Sname in appsettings.json)");
        var cluster = _cluster.Read(result, result.GetValue(_flags.Config) ?? Environment.GetEnvironmentVariable("BEAMWIRE_CONFIG") ?? "appsettings.json");
        using var loggers = LineLoggerProvider.Factory(settings.LogLevel ?? Microsoft.Extensions.Logging.LogLevel.Information, Console.Out.WriteLine);
        var runner = new NodeRunner(settings, settings.Name, loggers, extensions: cluster is null ? [] : [new ClusterExtension(cluster, loggers)]);
        return await runner.RunAsync(result.GetValue(_exitAfterStart), ct).ConfigureAwait(false);
    }
}
